package diag

// Suggest returns the candidate closest to name by edit distance (insertions,
// deletions, substitutions and transpositions of adjacent characters), for a
// "did you mean" help. It returns "" when none is within max(1, len(name)/3)
// edits, or when name itself is among the candidates. Of equally close
// candidates the first wins, so callers pass them in source order.
func Suggest(name string, candidates []string) string {
	limit := max(1, len(name)/3)
	best, bestDist := "", limit+1
	for _, c := range candidates {
		if c == name {
			return ""
		}
		if d := editDistance(name, c, bestDist); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

// Suggestf adds the help "did you mean `x`?" to d when Suggest finds an x,
// and returns d.
func (d *Diagnostic) Suggestf(name string, candidates []string) *Diagnostic {
	if s := Suggest(name, candidates); s != "" {
		d.Helpf("did you mean `%s`?", s)
	}
	return d
}

// Near reports whether a and b are at most n edits apart (the distance
// Suggest uses), for near-miss hints that name every close candidate.
func Near(a, b string, n int) bool { return editDistance(a, b, n+1) <= n }

// editDistance is the optimal string alignment distance of a and b in bytes
// (WIT names are ASCII), or bound when it is at least bound.
func editDistance(a, b string, bound int) int {
	if d := len(a) - len(b); d >= bound || -d >= bound {
		return bound
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			v := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				v = min(v, prev2[j-2]+1)
			}
			cur[j] = v
			rowMin = min(rowMin, v)
		}
		if rowMin >= bound {
			return bound
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[len(b)], bound)
}
