#!/usr/bin/env bash
# The repository documents itself: nothing a user reads may point outside it.
#  1. No tracked file mentions the developers' out-of-tree reference (the file name
#     "REFERENCE" + ".md") or a "../shared" path, except the allow-list below.
#  2. Every relative Markdown link `](path)` or `](path#anchor)` in docs/*.md and README.md
#     names an existing file, and its anchor (when the target is Markdown) names a heading
#     or an explicit <a id="..."> of that file.
#  3. Every docs page named in any tracked file as docs/NAME.md[#anchor] (source comments,
#     help strings, examples) exists and has that anchor.
# Each offence is printed as FILE:LINE: what. Needs only bash, git (optional), grep, awk.
# Usage: docs_selfcontained.sh [SOURCE_ROOT]   (default: the tree this script lives in)
set -uo pipefail
ROOT=${1:-"$(cd "$(dirname "$0")/../.." && pwd)"}
cd "$ROOT" || { echo "docs-selfcontained: no source root '$ROOT'"; exit 1; }
SELF=tests/cli/docs_selfcontained.sh
fails=0
bad() { fails=$((fails + 1)); echo "FAIL $*"; }

# Files: the tracked ones in a git checkout, else every file outside build folders,
# .git and fetched third-party trees.
if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  mapfile -t FILES < <(git ls-files)
else
  mapfile -t FILES < <(find . -type f -not -path './.git/*' -not -path './build*' \
    -not -path './third_party/npm/*' -not -path './results/*' -not -path './logs/*' | sed 's|^\./||')
fi

# --- 1. pointers outside the repository -------------------------------------------------
REF_PATTERN="REFERENCE"".md"    # split so that this line is not a hit by itself
SHARED_PATTERN="../shared"
# allowed FILE TEXT: the minimal allow-list; each entry says why it is legitimate.
allowed() {
  case "$1" in
    "$SELF") return 0 ;;  # this checker spells out the patterns it looks for
    # CI-only compile check against LibTorch 2.x headers, read from the developers' shared
    # third-party folder (scripts/check_libtorch2.sh); not a pointer for users.
    scripts/check_libtorch2.sh)
      [[ $2 == *"../shared/third_party/"* && $2 != *"$REF_PATTERN"* ]] ;;
    *) return 1 ;;
  esac
}
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; text=${rest#*:}
  allowed "$file" "$text" || bad "$file:$line: points outside the repository: $(echo "$text" | sed 's/^[[:space:]]*//' | cut -c1-120)"
done < <(printf '%s\0' "${FILES[@]}" | xargs -0 grep -nIsF -e "$REF_PATTERN" -e "$SHARED_PATTERN" -- 2>/dev/null)

# --- anchors of a Markdown file: GitHub's heading slugs + explicit ids --------------------
declare -A ANCHORS
anchors_of() {  # prints " slug1 slug2 ... " (cached)
  local f=$1
  if [[ -z ${ANCHORS[$f]+x} ]]; then
    ANCHORS[$f]=" $(awk '
      /^[[:space:]]*(```|~~~)/ { code = !code; next }
      code { next }
      /^#+[[:space:]]/ {
        h = $0; sub(/^#+[[:space:]]+/, "", h); sub(/[[:space:]]+#*[[:space:]]*$/, "", h)
        h = tolower(h); gsub(/[^a-z0-9 _-]/, "", h); gsub(/ /, "-", h)
        n = seen[h]++; printf "%s ", (n ? h "-" n : h)
      }
      {
        s = $0
        while (match(s, /id="[^"]*"/)) { printf "%s ", substr(s, RSTART + 4, RLENGTH - 5); s = substr(s, RSTART + RLENGTH) }
      }' "$f" 2>/dev/null) "
  fi
  printf '%s' "${ANCHORS[$f]}"
}
# check_target WHERE BASE_DIR TARGET: TARGET (path[#anchor] or #anchor) exists.
check_target() {
  local where=$1 dir=$2 target=$3 path anchor resolved
  path=${target%%#*}
  anchor=""; [[ $target == *"#"* ]] && anchor=${target#*#}
  if [[ -z $path ]]; then resolved=${where%%:*}; else resolved=$dir/$path; fi
  resolved=${resolved#./}
  if [[ ! -e $resolved ]]; then bad "$where: link to a missing file: $target"; return; fi
  if [[ -n $anchor && $resolved == *.md && -f $resolved ]]; then
    [[ $(anchors_of "$resolved") == *" $anchor "* ]] || bad "$where: no anchor '#$anchor' in $resolved"
  fi
}

# --- 2. relative links in docs/*.md and README.md ------------------------------------------
shopt -s nullglob
for md in README.md docs/*.md; do
  [[ -f $md ]] || continue
  dir=$(dirname "$md")
  while IFS=$'\t' read -r line target; do
    target=${target%% *}  # drop a link title
    case $target in http://* | https://* | mailto:* | "") continue ;; esac
    check_target "$md:$line" "$dir" "$target"
  done < <(awk '
    /^[[:space:]]*(```|~~~)/ { code = !code; next }
    code { next }
    {
      s = $0
      while (match(s, /\]\([^)]*\)/)) { print NR "\t" substr(s, RSTART + 2, RLENGTH - 3); s = substr(s, RSTART + RLENGTH) }
    }' "$md")
done
[[ -f docs/README.md ]] || bad "docs/README.md: missing (the index of the documentation)"

# --- 3. docs/NAME.md[#anchor] named anywhere in the tree -----------------------------------
while IFS= read -r hit; do
  file=${hit%%:*}; rest=${hit#*:}; line=${rest%%:*}; target=${rest#*:}
  [[ $file == "$SELF" ]] && continue
  check_target "$file:$line" . "$target"
done < <(printf '%s\0' "${FILES[@]}" | xargs -0 grep -noIsE -- 'docs/[A-Za-z0-9_-]+\.md(#[A-Za-z0-9_-]+)?' 2>/dev/null)

if [[ $fails -eq 0 ]]; then echo "docs-selfcontained: ok (${#FILES[@]} files)"; exit 0; fi
echo "docs-selfcontained: $fails problem(s)"
exit 1
