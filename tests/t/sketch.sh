#!/usr/bin/env bash
# duration_summary input fuzzing: mutated text literals and mutated binary COPY
# data must either be rejected with an error or accepted as a value that
# round-trips and answers every accessor; the server must never crash.
# FUZZ_ITERATIONS text cases (default 400), half as many binary ones.
. "$(dirname "$0")/lib.sh"
fresh_db
iterations=${FUZZ_ITERATIONS:-400}

q <<'SQL'
CREATE SCHEMA sketch_fuzz;
SET search_path = sketch_fuzz, public;
CREATE TABLE seeds (id int, s duration_summary);
INSERT INTO seeds
SELECT 1, duration_agg(exp(8 * random()) * interval '1 second') FROM generate_series(1, 200)
UNION ALL SELECT 2, duration_agg(x * interval '1 second') FROM generate_series(0, 3) AS x
UNION ALL SELECT 3, duration_agg(interval '5 minutes', 0.2) FROM generate_series(1, 10)
UNION ALL SELECT 4, duration_agg(x * interval '1 microsecond', 0.0001) FROM generate_series(1, 50) AS x;
CREATE TABLE accepted (src text, s duration_summary);
SQL

# --- text: random character edits of valid literals, tried in the server ---
q -c "SELECT s::text FROM sketch_fuzz.seeds ORDER BY id" > "$work/seeds.txt"
perl -e '
	srand(20261122);
	my @seeds = map { chomp; $_ } <STDIN>;
	my @alphabet = split //, "0123456789,:;=-.eEaznsumix v";
	for my $i (1 .. $ARGV[0]) {
		my $s = $seeds[$i % @seeds];
		for (1 .. 1 + int(rand(3))) {
			my $p = int(rand(length $s));
			my $r = rand;
			if ($r < 0.4) { substr($s, $p, 1) = $alphabet[int(rand @alphabet)] }
			elsif ($r < 0.6) { substr($s, $p, 1) = "" }
			elsif ($r < 0.8) { substr($s, $p, 0) = $alphabet[int(rand @alphabet)] }
			else { my $n = int(rand(20)) + 1; substr($s, $p, 0) = "9" x $n }
		}
		print "$s\n";
	}' "$iterations" < "$work/seeds.txt" > "$work/text-cases.txt"
q -c "CREATE TABLE sketch_fuzz.text_cases (c text)"
q -c "\\copy sketch_fuzz.text_cases FROM '$work/text-cases.txt' WITH (FORMAT text)" 2>/dev/null ||
	q -c "\\copy sketch_fuzz.text_cases FROM '$work/text-cases.txt' WITH (FORMAT csv, QUOTE E'\\x01', DELIMITER E'\\x02')"
ok "$iterations mutated text literals: accepted, or refused with an expected error (no crash)" q <<'SQL'
SET search_path = sketch_fuzz, public;
DO $$
DECLARE
	c text;
	v duration_summary;
BEGIN
	FOR c IN SELECT text_cases.c FROM text_cases LOOP
		BEGIN
			v := c::duration_summary;
			INSERT INTO accepted VALUES ('text', v);
		EXCEPTION WHEN invalid_text_representation OR data_corrupted OR numeric_value_out_of_range
			OR invalid_parameter_value THEN
			NULL;
		END;
	END LOOP;
END
$$;
SQL

# --- binary: byte edits of COPY BINARY files, one \copy per case -----------
for id in 1 2 3 4; do
	q -c "\\copy (SELECT s FROM sketch_fuzz.seeds WHERE id = $id) TO '$work/seed$id.bin' WITH (FORMAT binary)"
done
perl -e '
	srand(4242);
	my ($n, $dir) = @ARGV;
	my @seeds = map { local $/; open my $f, "<", "$dir/seed$_.bin" or die; binmode $f; scalar <$f> } 1 .. 4;
	for my $i (1 .. $n) {
		my $b = $seeds[$i % 4];
		# file header 19 bytes, field count 2, field length 4, then the value
		my $len = unpack("N", substr($b, 21, 4));
		my $v = substr($b, 25, $len);
		my $r = rand;
		if ($r < 0.5) {
			for (1 .. 1 + int(rand(3))) { substr($v, int(rand(length $v)), 1) = chr(int(rand(256))) }
		} elsif ($r < 0.7) {
			my $p = 1 + 8 * int(rand(7));		# one of the eight-byte header fields
			substr($v, $p, 8) = pack("q>", (0, 1, -1, 2**62, -(2**62), 9223372036854775807)[int(rand 6)]);
		} elsif ($r < 0.85) {
			$v = substr($v, 0, int(rand(length $v)));
		} else {
			$v .= chr(int(rand(256))) x (1 + int(rand(12)));
		}
		my $out = substr($b, 0, 21) . pack("N", length $v) . $v . pack("n", 0xffff);
		open my $f, ">", "$dir/case$i.bin" or die; binmode $f; print $f $out; close $f;
	}' $((iterations / 2)) "$work"
{
	echo "SET search_path = sketch_fuzz, public;"
	echo "CREATE TABLE bin_case (s duration_summary);"
	for ((i = 1; i <= iterations / 2; i++)); do
		echo "\\copy bin_case FROM '$work/case$i.bin' WITH (FORMAT binary)"
	done
	echo "INSERT INTO accepted SELECT 'binary', s FROM bin_case;"
} > "$work/binary.sql"
psql -X -q -f "$work/binary.sql" > "$work/binary.log" 2>&1 || true
crash=$(grep -m 5 "server closed\|terminated\|connection to server" "$work/binary.log" || true)
is "$crash" "" "no crash on $((iterations / 2)) mutated binary inputs"
errors=$(grep -c "^psql:.*ERROR" "$work/binary.log" || true)
unexpected=$(grep "^psql:.*ERROR" "$work/binary.log" | grep -v "invalid duration_summary\|insufficient data\|unsupported duration_summary format\|incorrect binary data format\|row field count\|invalid message format" | head -5 || true)
is "$unexpected" "" "every refused binary input has an expected error"
ok "some binary inputs are refused ($errors of $((iterations / 2))): the fuzzer is fuzzing" [ "$errors" -gt 0 ]

# --- every accepted value round-trips and answers every accessor ----------
result=$(q <<'SQL'
SET search_path = sketch_fuzz, public;
SELECT count(*) FILTER (WHERE src = 'text'), count(*) FILTER (WHERE src = 'binary'),
	count(*) FILTER (WHERE s::text::duration_summary::text <> s::text),
	count(*) FILTER (WHERE num_values(s) > 0 AND NOT (
		percentile(s, 0.5) BETWEEN min_value(s) AND max_value(s)
		AND percentiles(s, '{0, 0.3, 1}') IS NOT NULL
		AND mean(s) BETWEEN min_value(s) AND max_value(s)
		AND relative_error(s) > 0 AND median(rollup) IS NOT NULL))
FROM accepted, LATERAL (SELECT rollup(x) FROM (VALUES (s), (s)) AS v(x)) AS r;
SQL
)
IFS='|' read -r n_text n_bin bad_rt bad_acc <<<"$result"
is "$bad_rt" 0 "every accepted value ($n_text text, $n_bin binary) reads back the same through its text form"
is "$bad_acc" 0 "every accepted value answers percentile, percentiles, mean, relative_error and a rollup"
done_testing
