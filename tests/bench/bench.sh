#!/usr/bin/env bash
# kpi_ext benchmarks: database kpi_bench with BENCH_ROWS tickets (default 10M,
# from tests/demo/10-generate.sql, reused when already there), then every
# tests/bench/NN-*.sh is sourced.  Each of them calls
#
#   bench_compare "name" "target" "candidate SQL" "baseline SQL"
#
# which runs both queries alternately in one session (a warm-up of each, then
# BENCH_ROUNDS rounds, default 3, in alternating order), discarding their
# output (\o /dev/null; psql's \timing measures each), and prints a
# Markdown table row: median times, candidate/baseline, baseline/candidate and
# whether the target ("≤ 1.15×", "faster", "≥ 5× faster") is met.  bench_psql
# is psql on kpi_bench (-X -qAt), for set-up and checks.
#
# Plug-ins name what they derive from the data (tables, views) bench_*: it is
# dropped when the data is generated again.
# BENCH_ONLY=pattern runs only the files whose name contains pattern.
# Expects the PG* connection settings in the environment (make bench sets them).
set -euo pipefail
. "$(dirname "$0")/../demo/lib.sh"
cd "$kpi_top"

BENCH_DB=${BENCH_DB:-kpi_bench}
BENCH_ROWS=${BENCH_ROWS:-10000000}
BENCH_ROUNDS=${BENCH_ROUNDS:-3}
export PGTZ=UTC
export PGOPTIONS="${PGOPTIONS:-} -c client_min_messages=warning"

bench_psql() {
	psql -X -qAt -v ON_ERROR_STOP=1 -d "$BENCH_DB" "$@"
}

# median of the numbers given as arguments
bench_median() {
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		if (NR % 2) printf "%.1f", v[(NR + 1) / 2]; else printf "%.1f", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# does ratio $1 (candidate/baseline) meet target text $2?  ✓, ✗ or empty
bench_verdict() {
	awk -v r="$1" -v t="$2" 'BEGIN {
		s = t; gsub(/[^0-9.]/, " ", s); split(s, n, " "); x = n[1] + 0
		if (t ~ /faster/ && x > 0) ok = (1 / r >= x)
		else if (t ~ /faster/) ok = (r < 1)
		else if (t ~ /≤|<=/ && x > 0) ok = (r <= x)
		else if (t ~ /≥|>=/ && x > 0) ok = (1 / r >= x)
		else { print ""; exit }
		print (ok ? "✓" : "✗") }'
}

bench_compare() {
	local name=$1 target=$2 cand=$3 base=$4 script i times=() c=() b=() tc tb
	cand=$(printf '%s' "$cand" | sed -e 's/[[:space:];]*$//')
	base=$(printf '%s' "$base" | sed -e 's/[[:space:];]*$//')
	script=$(
		printf '\\o /dev/null\n\\timing on\n'
		# odd rounds run the baseline first, so that neither side always follows the other
		for ((i = 0; i <= BENCH_ROUNDS; i++)); do
			if ((i % 2)); then
				printf '%s;\n%s;\n' "$base" "$cand"
			else
				printf '%s;\n%s;\n' "$cand" "$base"
			fi
		done
	)
	mapfile -t times < <(printf '%s\n' "$script" | bench_psql | sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p')
	if [ "${#times[@]}" -ne $((2 * (BENCH_ROUNDS + 1))) ]; then
		printf 'bench: %s: a query failed (%d of %d timings)\n' "$name" "${#times[@]}" $((2 * (BENCH_ROUNDS + 1))) >&2
		printf '| %s | failed | | | | %s | ✗ |\n' "$name" "$target"
		bench_failed=1
		return 0
	fi
	# round 0 is the warm-up
	for ((i = 1; i <= BENCH_ROUNDS; i++)); do
		c+=("${times[2 * i + i % 2]}")
		b+=("${times[2 * i + 1 - i % 2]}")
	done
	tc=$(bench_median "${c[@]}")
	tb=$(bench_median "${b[@]}")
	# the verdict uses the unrounded ratio
	printf '| %s | %s | %s | %s× | %s× | %s | %s |\n' "$name" "$tc" "$tb" \
		"$(awk -v c="$tc" -v b="$tb" 'BEGIN { r = (b > 0 ? c / b : 0); printf (r >= 0.1 ? "%.2f" : "%.3f"), r }')" \
		"$(awk -v c="$tc" -v b="$tb" 'BEGIN { s = (c > 0 ? b / c : 0); printf (s < 10 ? "%.2f" : s < 100 ? "%.1f" : "%.0f"), s }')" \
		"$target" "$(bench_verdict "$(awk -v c="$tc" -v b="$tb" 'BEGIN { printf "%.9g", (b > 0 ? c / b : 0) }')" "$target")"
}

bench_failed=0
kpi_ensure_db "$BENCH_DB"
kpi_ensure_extension "$BENCH_DB" >&2
if kpi_data_ready "$BENCH_DB" "$BENCH_ROWS"; then
	kpi_say "reusing $BENCH_DB ($BENCH_ROWS tickets)" >&2
else
	kpi_say "generating $BENCH_ROWS tickets (BENCH_ROWS) in $BENCH_DB, UNLOGGED" >&2
	# what the plug-ins derived from the old data (their bench_* relations) goes with it
	kpi_psql "$BENCH_DB" <<-'EOF'
		DO $$
		DECLARE
			r record;
		BEGIN
			FOR r IN SELECT c.oid::regclass AS rel, c.relkind
				FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
				WHERE n.nspname = 'public' AND c.relname LIKE 'bench\_%' AND c.relkind IN ('r', 'm', 'v')
			LOOP
				EXECUTE format('DROP %s IF EXISTS %s CASCADE',
					CASE r.relkind WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'v' THEN 'VIEW' ELSE 'TABLE' END, r.rel);
			END LOOP;
		END
		$$;
	EOF
	kpi_generate "$BENCH_DB" "$BENCH_ROWS" true >&2
	t0=$EPOCHREALTIME
	kpi_psql "$BENCH_DB" -c "VACUUM (FREEZE, ANALYZE) tickets, agent_days, calls"
	kpi_say "vacuumed in $(kpi_seconds "$t0" "$EPOCHREALTIME") s" >&2
fi
if [ "$(bench_psql -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'tdigest'")" = 1 ]; then
	bench_psql -c "CREATE EXTENSION IF NOT EXISTS tdigest"
fi

cpu=$(sed -n 's/^model name[[:space:]]*:[[:space:]]*//p' /proc/cpuinfo 2>/dev/null | head -n 1)
server=$(bench_psql -c "SELECT split_part(current_setting('server_version'), ' ', 1)")
settings=$(bench_psql -c "SELECT format('max_parallel_workers_per_gather=%s, jit=%s',
	current_setting('max_parallel_workers_per_gather'), current_setting('jit'))")
echo
printf '%s, %s tickets, %s × %s, PostgreSQL %s (%s); median of %s runs, milliseconds\n' \
	"$(date -u +%Y-%m-%d)" "$(printf '%s' "$BENCH_ROWS" | sed -e ':a' -e 's/\B[0-9]\{3\}\>/,&/' -e 'ta')" \
	"$(nproc)" "${cpu:-unknown CPU}" "$server" "$settings" "$BENCH_ROUNDS"
echo
echo '| benchmark | kpi_ext | baseline | ratio | speed-up | target | met |'
echo '|---|--:|--:|--:|--:|---|:-:|'
for f in tests/bench/[0-9][0-9]-*.sh; do
	[ -e "$f" ] || continue
	case "$(basename "$f")" in *"${BENCH_ONLY:-}"*) ;; *) continue ;; esac
	. "$f"
done
exit $bench_failed
