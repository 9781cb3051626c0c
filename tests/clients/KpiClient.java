/*
 * kpi_ext as a Java application sees it, through the PostgreSQL JDBC driver (Debian:
 * libpostgresql-jdbc-java).  Run as a single source file (Java 11+, a JDK):
 *
 *   java -cp /usr/share/java/postgresql.jar tests/clients/KpiClient.java
 *
 * Connection: KPI_JDBC_HOST (default 127.0.0.1: JDBC speaks TCP only, not Unix sockets),
 * PGPORT, PGDATABASE, PGUSER and PGPASSWORD (if set).  Checks: KPIs computed with
 * PreparedStatement parameters (arrays, ANY(), intervals, GROUP BY); summaries read with
 * getString, written back with setObject(..., Types.OTHER) and as a PGobject, read again
 * equal; summaries moved with binary COPY through CopyManager; NULL results; errors as
 * SQLExceptions with the SQLSTATE and the server's message, detail and hint.
 * Exits 1 on the first failed check.
 */

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.postgresql.util.PGInterval;
import org.postgresql.util.PGobject;
import org.postgresql.util.PSQLException;
import org.postgresql.util.ServerErrorMessage;

public class KpiClient {
	static int checks = 0;

	static void ok(boolean cond, String msg) {
		if (!cond) {
			System.err.println("FAILED: " + msg);
			System.exit(1);
		}
		checks++;
	}

	static String env(String name, String dflt) {
		String v = System.getenv(name);
		return (v == null || v.isEmpty()) ? dflt : v;
	}

	/* numeric results carry their own scale: compare rounded */
	static boolean close(BigDecimal a, BigDecimal b, int places) {
		if (a == null || b == null)
			return a == null && b == null;
		return a.setScale(places, RoundingMode.HALF_EVEN).compareTo(b.setScale(places, RoundingMode.HALF_EVEN)) == 0;
	}

	static boolean close(BigDecimal a, BigDecimal b) {
		return close(a, b, 12);
	}

	/* plain-Java formulas, independent of the extension */
	static BigDecimal npsOf(Integer[] scores) {
		int n = 0, promoters = 0, detractors = 0;
		for (Integer s : scores) {
			if (s == null)
				continue;
			n++;
			if (s >= 9)
				promoters++;
			if (s <= 6)
				detractors++;
		}
		if (n == 0)
			return null;
		return BigDecimal.valueOf(100L * (promoters - detractors)).divide(BigDecimal.valueOf(n), 20, RoundingMode.HALF_EVEN);
	}

	static BigDecimal rateOf(Boolean[] flags) {
		int n = 0, hits = 0;
		for (Boolean f : flags) {
			if (f == null)
				continue;
			n++;
			if (f)
				hits++;
		}
		if (n == 0)
			return null;
		return BigDecimal.valueOf(100L * hits).divide(BigDecimal.valueOf(n), 20, RoundingMode.HALF_EVEN);
	}

	static final class Ticket {
		int id;
		String team;
		Integer score;
		Boolean fcr;
		int handleSecs;
		int busyMins;
		int availableMins;
	}

	public static void main(String[] args) throws Exception {
		String url = "jdbc:postgresql://" + env("KPI_JDBC_HOST", "127.0.0.1") + ":" + env("PGPORT", "5432")
			+ "/" + env("PGDATABASE", "postgres");
		Properties props = new Properties();
		props.setProperty("user", env("PGUSER", System.getProperty("user.name")));
		if (System.getenv("PGPASSWORD") != null)
			props.setProperty("password", System.getenv("PGPASSWORD"));
		props.setProperty("ApplicationName", "kpi_ext KpiClient.java");

		try (Connection conn = DriverManager.getConnection(url, props)) {
			run(conn);
			System.out.println("KpiClient.java: " + checks + " checks passed (JDBC driver "
				+ conn.getMetaData().getDriverVersion() + ", server "
				+ conn.getMetaData().getDatabaseProductVersion() + ")");
		}
	}

	static Object one(Connection conn, String sql, Object... params) throws SQLException {
		try (PreparedStatement ps = conn.prepareStatement(sql)) {
			for (int i = 0; i < params.length; i++)
				ps.setObject(i + 1, params[i]);
			try (ResultSet rs = ps.executeQuery()) {
				ok(rs.next(), "no row from " + sql);
				return rs.getObject(1);
			}
		}
	}

	static void run(Connection conn) throws Exception {
		try (Statement st = conn.createStatement()) {
			st.execute("SET client_min_messages = warning");
			st.execute("CREATE EXTENSION IF NOT EXISTS kpi_ext");
			st.execute("DROP SCHEMA IF EXISTS client_java CASCADE");
			st.execute("CREATE SCHEMA client_java");
			st.execute("SET search_path = client_java, public");
		}
		conn.setAutoCommit(false);

		/* --- 1. KPIs with parameters ------------------------------------------------ */
		Integer[] scores = {10, 9, 9, 8, 7, 3, 0, 10, null, 6};
		try (PreparedStatement ps = conn.prepareStatement("SELECT nps(s), csat(s % 5 + 1) FROM unnest(?::int[]) AS s")) {
			ps.setArray(1, conn.createArrayOf("int4", scores));
			try (ResultSet rs = ps.executeQuery()) {
				rs.next();
				BigDecimal nps = rs.getBigDecimal(1);
				ok(close(nps, npsOf(scores)), "nps(" + Arrays.toString(scores) + ") = " + nps + ", expected " + npsOf(scores));
				/* s % 5 + 1 of 10,9,9,8,7,3,0,10,6 = 1,5,5,4,3,4,1,1,2: 4 of 9 are 4 or 5 */
				BigDecimal csat = rs.getBigDecimal(2);
				ok(close(csat, BigDecimal.valueOf(400).divide(BigDecimal.valueOf(9), 20, RoundingMode.HALF_EVEN)),
				   "csat = " + csat);
			}
		}
		Boolean[] flags = {true, false, null, true};
		try (PreparedStatement ps = conn.prepareStatement("SELECT fcr_rate(b) FROM unnest(?::boolean[]) AS b")) {
			ps.setArray(1, conn.createArrayOf("bool", flags));
			try (ResultSet rs = ps.executeQuery()) {
				rs.next();
				ok(close(rs.getBigDecimal(1), rateOf(flags)), "fcr_rate = " + rs.getBigDecimal(1));
			}
		}

		/* a table filled by a batch of parameterized INSERTs, then GROUP BY with parameters */
		try (Statement st = conn.createStatement()) {
			st.execute("CREATE TABLE tickets (id int PRIMARY KEY, team text, score int, fcr boolean,"
					   + " handle interval, busy interval, available interval)");
		}
		List<Ticket> rows = new ArrayList<>();
		String[] teamNames = {"billing", "shipping", "returns"};
		try (PreparedStatement ps = conn.prepareStatement(
				"INSERT INTO tickets VALUES (?, ?, ?, ?, make_interval(secs => ?), make_interval(mins => ?), make_interval(mins => ?))")) {
			for (int i = 1; i <= 300; i++) {
				Ticket t = new Ticket();
				t.id = i;
				t.team = teamNames[i % 3];
				t.score = (i % 17 == 0) ? null : (i * 7) % 11;
				t.fcr = (i % 13 == 0) ? null : (i % 4 != 0);
				t.handleSecs = 60 + (i * 37) % 600;
				t.busyMins = i % 50;
				t.availableMins = 60;
				rows.add(t);
				ps.setInt(1, t.id);
				ps.setString(2, t.team);
				if (t.score == null)
					ps.setNull(3, Types.INTEGER);
				else
					ps.setInt(3, t.score);
				if (t.fcr == null)
					ps.setNull(4, Types.BOOLEAN);
				else
					ps.setBoolean(4, t.fcr);
				ps.setDouble(5, t.handleSecs);
				ps.setInt(6, t.busyMins);
				ps.setInt(7, t.availableMins);
				ps.addBatch();
			}
			int total = Arrays.stream(ps.executeBatch()).sum();
			ok(total == 300, "batch insert: " + total + " rows");
		}

		int targetSecs = 300;
		String[] wanted = {"billing", "returns"};
		try (PreparedStatement ps = conn.prepareStatement(
				"SELECT team, nps(score), fcr_rate(fcr), sla_adherence(handle, ?), utilization(busy, available),"
				+ " responses(score_agg(score)), count(*)"
				+ " FROM tickets WHERE team = ANY(?) GROUP BY team ORDER BY team")) {
			ps.setObject(1, new PGInterval(0, 0, 0, 0, 5, 0));
			ps.setArray(2, conn.createArrayOf("text", wanted));
			try (ResultSet rs = ps.executeQuery()) {
				int k = 0;
				while (rs.next()) {
					String team = rs.getString(1);
					ok(k < wanted.length && team.equals(wanted[k]), "GROUP BY team " + k + ": " + team);
					k++;
					List<Integer> sc = new ArrayList<>();
					List<Boolean> fc = new ArrayList<>();
					List<Boolean> met = new ArrayList<>();
					long busy = 0, avail = 0, n = 0, responses = 0;
					for (Ticket t : rows) {
						if (!t.team.equals(team))
							continue;
						n++;
						sc.add(t.score);
						fc.add(t.fcr);
						met.add(t.handleSecs <= targetSecs);
						busy += t.busyMins;
						avail += t.availableMins;
						if (t.score != null)
							responses++;
					}
					ok(close(rs.getBigDecimal(2), npsOf(sc.toArray(new Integer[0]))), team + ": nps " + rs.getBigDecimal(2));
					ok(close(rs.getBigDecimal(3), rateOf(fc.toArray(new Boolean[0]))), team + ": fcr_rate " + rs.getBigDecimal(3));
					ok(close(rs.getBigDecimal(4), rateOf(met.toArray(new Boolean[0]))), team + ": sla_adherence " + rs.getBigDecimal(4));
					BigDecimal util = BigDecimal.valueOf(100 * busy).divide(BigDecimal.valueOf(avail), 20, RoundingMode.HALF_EVEN);
					ok(close(rs.getBigDecimal(5), util, 9), team + ": utilization " + rs.getBigDecimal(5) + " vs " + util);
					ok(rs.getLong(6) == responses, team + ": responses " + rs.getLong(6));
					ok(rs.getLong(7) == n, team + ": count " + rs.getLong(7));
				}
				ok(k == wanted.length, "GROUP BY returned " + k + " teams");
			}
		}

		/* --- 2. summaries read with getString, written back --------------------------- */
		List<String[]> summaries = new ArrayList<>();
		try (Statement st = conn.createStatement();
			 ResultSet rs = st.executeQuery("SELECT team, score_agg(score), rate_agg(fcr), ratio_agg(busy, available)"
											+ " FROM tickets GROUP BY team ORDER BY team")) {
			while (rs.next()) {
				String team = rs.getString(1);
				String s = rs.getString(2), r = rs.getString(3), q = rs.getString(4);
				ok(rs.getObject(2) instanceof PGobject, "a summary arrives as a PGobject from getObject");
				ok("score_summary".equals(((PGobject) rs.getObject(2)).getType()), "its type name");
				long[] counts = new long[11];
				long hits = 0, trials = 0, n = 0;
				for (Ticket t : rows) {
					if (!t.team.equals(team))
						continue;
					n++;
					if (t.score != null)
						counts[t.score]++;
					if (t.fcr != null) {
						trials++;
						if (t.fcr)
							hits++;
					}
				}
				StringBuilder want = new StringBuilder("v1:");
				for (int i = 0; i < 11; i++)
					want.append(i == 0 ? "" : ",").append(counts[i]);
				ok(s.equals(want.toString()), team + ": score_summary text " + s + ", expected " + want);
				ok(r.equals("v1:" + hits + "/" + trials), team + ": rate_summary text " + r);
				ok(q.startsWith("v2:n=" + n + ","), team + ": ratio_summary text " + q);
				summaries.add(new String[] {team, s, r, q});
			}
		}
		ok(summaries.size() == 3, "three teams");

		try (Statement st = conn.createStatement()) {
			st.execute("CREATE TABLE stored (team text PRIMARY KEY, s score_summary, r rate_summary, q ratio_summary)");
		}
		try (PreparedStatement ps = conn.prepareStatement("INSERT INTO stored VALUES (?, ?, ?, ?)")) {
			for (String[] row : summaries) {
				ps.setString(1, row[0]);
				/* Types.OTHER: sent untyped, the server reads it as the column's type */
				ps.setObject(2, row[1], Types.OTHER);
				ps.setObject(3, row[2], Types.OTHER);
				/* or a PGobject naming the type */
				PGobject q = new PGobject();
				q.setType("ratio_summary");
				q.setValue(row[3]);
				ps.setObject(4, q);
				ps.addBatch();
			}
			ps.executeBatch();
		}
		try (Statement st = conn.createStatement();
			 ResultSet rs = st.executeQuery("SELECT team, s, r, q FROM stored ORDER BY team")) {
			int k = 0;
			while (rs.next()) {
				String[] want = summaries.get(k++);
				for (int c = 0; c < 4; c++)
					ok(want[c].equals(rs.getString(c + 1)), "written back and read again: " + rs.getString(c + 1) + " vs " + want[c]);
			}
			ok(k == 3, "three stored rows");
		}
		/* as parameters of the accessors, compared with one-step aggregates */
		for (String[] row : summaries) {
			try (PreparedStatement ps = conn.prepareStatement(
					"SELECT nps(?::score_summary), rate(?::rate_summary), ratio(?::ratio_summary),"
					+ " (SELECT nps(score) FROM tickets WHERE team = ?), (SELECT rate(fcr) FROM tickets WHERE team = ?),"
					+ " (SELECT sum(extract(epoch FROM busy)) / sum(extract(epoch FROM available)) FROM tickets WHERE team = ?)")) {
				ps.setString(1, row[1]);
				ps.setString(2, row[2]);
				ps.setString(3, row[3]);
				ps.setString(4, row[0]);
				ps.setString(5, row[0]);
				ps.setString(6, row[0]);
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					ok(close(rs.getBigDecimal(1), rs.getBigDecimal(4)), row[0] + ": nps of a parameter");
					ok(close(rs.getBigDecimal(2), rs.getBigDecimal(5)), row[0] + ": rate of a parameter");
					ok(Math.abs(rs.getDouble(3) - rs.getDouble(6)) < 1e-12, row[0] + ": ratio of a parameter");
				}
			}
		}
		try (PreparedStatement ps = conn.prepareStatement(
				"SELECT nps(rollup(s)), rate(rollup(r)), (SELECT nps(score) FROM tickets), (SELECT fcr_rate(fcr) FROM tickets)"
				+ " FROM unnest(?::score_summary[], ?::rate_summary[]) AS u(s, r)")) {
			ps.setArray(1, conn.createArrayOf("text", summaries.stream().map(x -> x[1]).toArray()));
			ps.setArray(2, conn.createArrayOf("text", summaries.stream().map(x -> x[2]).toArray()));
			try (ResultSet rs = ps.executeQuery()) {
				rs.next();
				ok(close(rs.getBigDecimal(1), rs.getBigDecimal(3)), "rollup of parameter arrays: nps");
				ok(close(rs.getBigDecimal(2), rs.getBigDecimal(4)), "rollup of parameter arrays: rate");
			}
		}
		conn.commit();

		/* --- 3. binary COPY out of one table, into another ----------------------------- */
		CopyManager copy = conn.unwrap(PGConnection.class).getCopyAPI();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		long copiedOut = copy.copyOut("COPY stored TO STDOUT WITH (FORMAT binary)", out);
		byte[] payload = out.toByteArray();
		ok(copiedOut == 3, "binary COPY out: " + copiedOut + " rows");
		ok(new String(payload, 0, 6, "US-ASCII").equals("PGCOPY"), "binary COPY signature");
		try (Statement st = conn.createStatement()) {
			st.execute("CREATE TABLE copied (LIKE stored)");
		}
		long copiedIn = copy.copyIn("COPY copied FROM STDIN WITH (FORMAT binary)", new ByteArrayInputStream(payload));
		ok(copiedIn == 3, "binary COPY in: " + copiedIn + " rows");
		try (Statement st = conn.createStatement();
			 ResultSet rs = st.executeQuery("SELECT team, s, r, q FROM copied ORDER BY team")) {
			int k = 0;
			while (rs.next()) {
				String[] want = summaries.get(k++);
				for (int c = 0; c < 4; c++)
					ok(want[c].equals(rs.getString(c + 1)), "binary COPY changed " + want[c] + " into " + rs.getString(c + 1));
			}
			ok(k == 3, "three copied rows");
		}
		conn.commit();

		/* --- 4. NULL and empty as a client sees them ------------------------------------ */
		try (PreparedStatement ps = conn.prepareStatement("SELECT nps(s), score_agg(s), fcr_rate(s > 5) FROM unnest(?::int[]) AS s")) {
			for (Integer[] input : new Integer[][] {{null, null}, {}}) {
				ps.setArray(1, conn.createArrayOf("int4", input));
				try (ResultSet rs = ps.executeQuery()) {
					rs.next();
					ok(rs.getBigDecimal(1) == null && rs.wasNull(), "nps of " + Arrays.toString(input) + " -> null");
					ok(rs.getString(2) == null && rs.wasNull(), "score_agg of " + Arrays.toString(input) + " -> null");
					ok(rs.getObject(3) == null, "fcr_rate of " + Arrays.toString(input) + " -> null");
				}
			}
		}
		try (PreparedStatement ps = conn.prepareStatement("SELECT nps(?::score_summary)")) {
			ps.setNull(1, Types.OTHER);
			try (ResultSet rs = ps.executeQuery()) {
				rs.next();
				ok(rs.getBigDecimal(1) == null, "nps(NULL summary) -> null");
			}
		}
		ok(one(conn, "SELECT rate(?::rate_summary)", "v1:0/0") == null, "rate of an empty summary -> null");
		ok(((Number) one(conn, "SELECT trials(?::rate_summary)", "v1:0/0")).longValue() == 0, "trials of an empty summary -> 0");
		try (PreparedStatement ps = conn.prepareStatement("INSERT INTO stored VALUES (?, ?, ?, ?)")) {
			ps.setString(1, "nobody");
			ps.setNull(2, Types.OTHER);
			ps.setNull(3, Types.OTHER);
			ps.setNull(4, Types.OTHER);
			ps.executeUpdate();
		}
		ok(one(conn, "SELECT s FROM stored WHERE team = ?", "nobody") == null, "a NULL summary reads back as null");
		conn.rollback();

		/* --- 5. errors as a client sees them --------------------------------------------- */
		try (PreparedStatement ps = conn.prepareStatement("SELECT nps(s) FROM unnest(?::int[]) AS s")) {
			ps.setArray(1, conn.createArrayOf("int4", new Integer[] {9, 11}));
			ps.executeQuery();
			ok(false, "an NPS score of 11 was accepted");
		} catch (PSQLException e) {
			ok("22003".equals(e.getSQLState()), "SQLSTATE " + e.getSQLState());
			ServerErrorMessage m = e.getServerErrorMessage();
			ok(m != null, "a server error message");
			ok("ERROR".equals(m.getSeverity()), "severity " + m.getSeverity());
			ok("NPS score 11 is out of range".equals(m.getMessage()), "message " + m.getMessage());
			ok("Scores must be integers from 0 to 10.".equals(m.getDetail()), "detail " + m.getDetail());
			ok("Filter out-of-range scores with WHERE, or map them to NULL.".equals(m.getHint()), "hint " + m.getHint());
		}
		conn.rollback();
		ok(((Number) one(conn, "SELECT 1")).intValue() == 1, "the connection is usable after rollback");

		String[][] malformed = {
			{"score_summary", "v1:xx", "Expected a count (responses per score) at \"xx\"."},
			{"rate_summary", "v1:1/0", "The hits must not exceed the trials."},
			{"ratio_summary", "v1:zz", "Expected \"n=\" at \"zz\"."},
		};
		for (String[] c : malformed) {
			try (PreparedStatement ps = conn.prepareStatement("SELECT ?::" + c[0])) {
				ps.setString(1, c[1]);
				ps.executeQuery();
				ok(false, c[0] + " accepted " + c[1]);
			} catch (SQLException e) {
				ok("22P02".equals(e.getSQLState()), c[0] + ": SQLSTATE " + e.getSQLState());
				ServerErrorMessage m = ((PSQLException) e).getServerErrorMessage();
				ok(("invalid input syntax for type " + c[0] + ": \"" + c[1] + "\"").equals(m.getMessage()),
				   c[0] + ": message " + m.getMessage());
				ok(c[2].equals(m.getDetail()), c[0] + ": detail " + m.getDetail());
				ok(m.getHint() != null && m.getHint().contains("kpi_ext"), c[0] + ": hint " + m.getHint());
			}
			conn.rollback();
		}
		/* a malformed summary written as a parameter into a table is refused the same way */
		try (PreparedStatement ps = conn.prepareStatement("INSERT INTO stored (team, r) VALUES (?, ?)")) {
			ps.setString(1, "bad");
			ps.setObject(2, "v1:5/3", Types.OTHER);
			ps.executeUpdate();
			ok(false, "a malformed rate_summary was stored");
		} catch (SQLException e) {
			ok("22P02".equals(e.getSQLState()), "INSERT of a malformed summary: SQLSTATE " + e.getSQLState());
		}
		conn.rollback();
		ok(((Number) one(conn, "SELECT count(*) FROM stored")).longValue() == 3, "nothing stored by the failed INSERT");

		try (Statement st = conn.createStatement()) {
			st.execute("DROP SCHEMA client_java CASCADE");
		}
		conn.commit();
	}
}
