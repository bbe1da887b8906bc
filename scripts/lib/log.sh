# shellcheck shell=bash
# Output conventions shared by the scripts in scripts/: one prefix per script, messages on stderr,
# so that stdout stays free for what a script is asked to print (figures, paths).

LOG_PREFIX=${LOG_PREFIX:-$(basename "$0" .sh)}

if [[ -t 2 && -z ${NO_COLOR:-} ]]; then
  _c_bold=$'\e[1m' _c_red=$'\e[31m' _c_green=$'\e[32m' _c_yellow=$'\e[33m' _c_off=$'\e[0m'
else
  _c_bold='' _c_red='' _c_green='' _c_yellow='' _c_off=''
fi

info() { printf '%s[%s]%s %s\n' "$_c_bold" "$LOG_PREFIX" "$_c_off" "$*" >&2; }
ok()   { printf '%s[%s] %s%s\n' "$_c_green" "$LOG_PREFIX" "$*" "$_c_off" >&2; }
warn() { printf '%s[%s] warning: %s%s\n' "$_c_yellow" "$LOG_PREFIX" "$*" "$_c_off" >&2; }
die()  { printf '%s[%s] error: %s%s\n' "$_c_red" "$LOG_PREFIX" "$*" "$_c_off" >&2; exit 1; }

# now_ms: wall clock in milliseconds (GNU date).
now_ms() { date +%s%3N; }

# format_ms MS: "1m02.3s" / "4.2s"
format_ms() {
  local ms=$1
  if ((ms >= 60000)); then
    printf '%dm%04.1fs' $((ms / 60000)) "$(awk -v m=$((ms % 60000)) 'BEGIN{printf "%.1f", m/1000}')"
  else
    awk -v m="$ms" 'BEGIN{printf "%.1fs", m/1000}'
  fi
}
