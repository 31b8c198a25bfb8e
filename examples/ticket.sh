#!/bin/sh
# Turn a cogdoctor report into a GitHub issue (gh CLI). Every finding carries a stable `uid`:
# search for it first (gh issue list --search <uid>) so one finding gets one ticket across runs.
# Usage: ticket.sh jq|markdown <domain>
set -eu
how=${1:-markdown}
domain=${2:-logs-prod}

# The findings that count (muted ones left out), from the JSON report, as an issue body.
BODY='[.findings[] | select(.muted != true)]
  | map("## \(.id) (\(.severity))\n\n> \(.symptom)\n\n\(.message)\n\n**Fix:** \(.fix.summary)\n\n```sh\n\((.fix.commands // []) | join("\n"))\n```\n\nuid `\(.uid)` · resource `\(.resource)`\n")
  | join("\n")'

case $how in
  # jq: the JSON report (the source of truth) into the issue body.
  jq) cogdoctor check "$domain" --format json | jq -r "$BODY" | gh issue create --title "cogdoctor: findings on $domain" --body-file - ;;
  # The same with --format markdown: its first line is the title, the rest is the body.
  markdown) cogdoctor check "$domain" --format markdown | { read -r title; gh issue create --title "${title#\# }" --body-file -; } ;;
  *) echo "usage: $0 jq|markdown <domain>" >&2; exit 2 ;;
esac
