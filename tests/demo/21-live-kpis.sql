-- A summary table kept exact by triggers: live_kpis holds, per team and day,
-- the same summaries as a GROUP BY over tickets, current after every commit.
-- (docs/cookbook.md section 11 shows this file; tests/t/incremental.sh checks
-- that they are the same and tests it.)
BEGIN;
-- no ticket is written while the table is filled and the triggers created
LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE;

DROP TABLE IF EXISTS live_kpis;
CREATE TABLE live_kpis (
    team               text NOT NULL,
    day                date NOT NULL,
    tickets            bigint NOT NULL DEFAULT 0 CHECK (tickets >= 0),
    nps_scores         score_summary,
    csat_scores        score_summary,
    fcr                rate_summary,
    first_response_sla rate_summary,
    quality            ratio_summary,
    handle             ratio_summary,
    flow               ticket_flow,
    first_response     duration_summary,
    resolution         duration_summary,
    PRIMARY KEY (team, day)
);

-- what the table must always equal (and how it is filled)
CREATE OR REPLACE VIEW live_kpis_fresh AS
SELECT team, (opened_at AT TIME ZONE 'UTC')::date AS day, count(*) AS tickets,
       score_agg(nps_score) AS nps_scores, score_agg(csat_score) AS csat_scores,
       rate_agg(first_contact_resolved) AS fcr,
       rate_agg(first_response_at - opened_at <= first_response_target) AS first_response_sla,
       ratio_agg(qa_points, qa_max) AS quality,
       aht_agg(talk_time, hold_time, wrap_time) AS handle,
       ticket_flow_agg(opened_at, resolved_at, '1 day') AS flow,
       duration_agg(first_response_at - opened_at) AS first_response,
       duration_agg(resolved_at - opened_at) AS resolution
FROM tickets
GROUP BY 1, 2;

-- the tickets of a group, found fast (UPDATE and DELETE recompute the durations)
CREATE INDEX IF NOT EXISTS tickets_team_opened ON tickets (team, opened_at);

CREATE OR REPLACE FUNCTION live_kpis_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'TRUNCATE' THEN
        TRUNCATE live_kpis;
        RETURN NULL;
    END IF;

    -- 1. Lock every group the statement touches in one statement, in key
    --    order, creating the groups that new rows go to: concurrent writers
    --    then never wait for each other in a cycle.  (An INSERT needs no such
    --    step: its upsert below is that one statement.)
    IF TG_OP = 'UPDATE' THEN
        INSERT INTO live_kpis AS t (team, day)
        SELECT team, day
        FROM (SELECT team, (opened_at AT TIME ZONE 'UTC')::date AS day FROM old_rows
              UNION
              SELECT team, (opened_at AT TIME ZONE 'UTC')::date FROM new_rows) AS k
        ORDER BY team, day
        ON CONFLICT (team, day) DO UPDATE SET tickets = t.tickets;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO live_kpis AS t (team, day)
        SELECT DISTINCT team, (opened_at AT TIME ZONE 'UTC')::date FROM old_rows
        ORDER BY 1, 2
        ON CONFLICT (team, day) DO UPDATE SET tickets = t.tickets;
    END IF;

    -- 2. Take the old rows out: - retracts them exactly (NULL when no
    --    response, trial or ticket is left, as a fresh GROUP BY gives)
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE live_kpis AS t
        SET tickets = t.tickets - o.tickets,
            nps_scores = t.nps_scores - o.nps_scores,
            csat_scores = t.csat_scores - o.csat_scores,
            fcr = t.fcr - o.fcr,
            first_response_sla = t.first_response_sla - o.first_response_sla,
            quality = t.quality - o.quality,
            handle = t.handle - o.handle,
            flow = t.flow - o.flow
        FROM (SELECT team, (opened_at AT TIME ZONE 'UTC')::date AS day, count(*) AS tickets,
                     score_agg(nps_score) AS nps_scores, score_agg(csat_score) AS csat_scores,
                     rate_agg(first_contact_resolved) AS fcr,
                     rate_agg(first_response_at - opened_at <= first_response_target) AS first_response_sla,
                     ratio_agg(qa_points, qa_max) AS quality,
                     aht_agg(talk_time, hold_time, wrap_time) AS handle,
                     ticket_flow_agg(opened_at, resolved_at, '1 day') AS flow
              FROM old_rows
              GROUP BY 1, 2) AS o
        WHERE (t.team, t.day) = (o.team, o.day);
    END IF;

    -- 3. Add the new rows: an upsert in key order, s = t.s + excluded.s
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO live_kpis AS t
        SELECT team, (opened_at AT TIME ZONE 'UTC')::date, count(*),
               score_agg(nps_score), score_agg(csat_score),
               rate_agg(first_contact_resolved),
               rate_agg(first_response_at - opened_at <= first_response_target),
               ratio_agg(qa_points, qa_max),
               aht_agg(talk_time, hold_time, wrap_time),
               ticket_flow_agg(opened_at, resolved_at, '1 day'),
               duration_agg(first_response_at - opened_at),
               duration_agg(resolved_at - opened_at)
        FROM new_rows
        GROUP BY 1, 2
        ORDER BY 1, 2
        ON CONFLICT (team, day) DO UPDATE
        SET tickets = t.tickets + excluded.tickets,
            nps_scores = t.nps_scores + excluded.nps_scores,
            csat_scores = t.csat_scores + excluded.csat_scores,
            fcr = t.fcr + excluded.fcr,
            first_response_sla = t.first_response_sla + excluded.first_response_sla,
            quality = t.quality + excluded.quality,
            handle = t.handle + excluded.handle,
            flow = t.flow + excluded.flow,
            first_response = t.first_response + excluded.first_response,
            resolution = t.resolution + excluded.resolution;
    END IF;

    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        -- 4. Drop the groups left without tickets: a fresh GROUP BY has none
        DELETE FROM live_kpis AS t
        USING (SELECT DISTINCT team, (opened_at AT TIME ZONE 'UTC')::date AS day FROM old_rows) AS o
        WHERE (t.team, t.day) = (o.team, o.day) AND t.tickets = 0;
        -- 5. Durations cannot be retracted (a sketch's exact minimum and
        --    maximum would be lost): recompute them for the groups rows left
        UPDATE live_kpis AS t
        SET first_response = d.first_response, resolution = d.resolution
        FROM (SELECT k.team, k.day,
                     duration_agg(x.first_response_at - x.opened_at) AS first_response,
                     duration_agg(x.resolved_at - x.opened_at) AS resolution
              FROM (SELECT DISTINCT team, (opened_at AT TIME ZONE 'UTC')::date AS day FROM old_rows) AS k
              JOIN tickets AS x ON x.team = k.team
                   AND x.opened_at >= k.day::timestamp AT TIME ZONE 'UTC'
                   AND x.opened_at < (k.day + 1)::timestamp AT TIME ZONE 'UTC'
              GROUP BY 1, 2) AS d
        WHERE (t.team, t.day) = (d.team, d.day);
    END IF;
    RETURN NULL;
END
$$;

CREATE OR REPLACE TRIGGER live_kpis_insert AFTER INSERT ON tickets
    REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_kpis_sync();
CREATE OR REPLACE TRIGGER live_kpis_update AFTER UPDATE ON tickets
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION live_kpis_sync();
CREATE OR REPLACE TRIGGER live_kpis_delete AFTER DELETE ON tickets
    REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION live_kpis_sync();
CREATE OR REPLACE TRIGGER live_kpis_truncate AFTER TRUNCATE ON tickets
    FOR EACH STATEMENT EXECUTE FUNCTION live_kpis_sync();

INSERT INTO live_kpis SELECT * FROM live_kpis_fresh;
COMMIT;
ANALYZE live_kpis;
