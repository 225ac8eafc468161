#!/bin/sh
# jco-fixtures.sh GIT_DIR OUT_DIR [REF]
#
# Copies jco's prebuilt test components (every *.wasm and *.wat under
# test/fixtures/components/ and packages/*/test/fixtures/components/) out
# of a jco git directory (the path `fetch github:bytecodealliance/jco`
# prints; a bare repository, no work tree) into OUT_DIR, keeping their
# repository-relative paths. Blobs missing from a partial snapshot are
# skipped and listed. Keep OUT_DIR outside any git work tree: nothing
# copied may be committed. internal/jcofixtures runs them
# (make jco-fixtures JCO_FIXTURES=OUT_DIR).
set -eu
if [ $# -lt 2 ]; then
	echo "usage: $0 GIT_DIR OUT_DIR [REF]" >&2
	exit 2
fi
git_dir=$1
out=$2
ref=${3:-HEAD}
[ -d "$git_dir/repo" ] && git_dir=$git_dir/repo
git --git-dir="$git_dir" rev-parse --verify -q "$ref^{commit}" >/dev/null || {
	echo "$0: $git_dir has no commit $ref" >&2
	exit 1
}
mkdir -p "$out"
written=0
skipped=0
list=$(mktemp)
trap 'rm -f "$list"' EXIT
git --git-dir="$git_dir" ls-tree -r "$ref" |
	awk -F '\t' '$2 ~ /^(packages\/[^\/]+\/)?test\/fixtures\/components\/.*\.(wasm|wat)$/ { split($1, m, " "); print m[3] "\t" $2 }' >"$list"
while IFS="$(printf '\t')" read -r blob path; do
	if git --git-dir="$git_dir" cat-file -e "$blob" 2>/dev/null; then
		mkdir -p "$out/$(dirname "$path")"
		git --git-dir="$git_dir" cat-file blob "$blob" >"$out/$path"
		written=$((written + 1))
	else
		echo "absent from the snapshot: $path" >&2
		skipped=$((skipped + 1))
	fi
done <"$list"
echo "$written written, $skipped skipped ($(git --git-dir="$git_dir" rev-parse "$ref"))"
