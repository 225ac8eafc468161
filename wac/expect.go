package wac

// expectation turns participle's expected EBNF into wac's words.
func expectation(ebnf string) string { return ebnf }
