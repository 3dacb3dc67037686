-- The delivery queue's claim, as functions: the same rule for claiming and for "when is the next one due",
-- planned once per connection, and walked per system from the head of its queue (deliveries_due), so the work
-- of a claim stays the same however many deliveries wait or are held back. The planner settings keep it on that
-- walk when the table's statistics are stale (a queue that just grew by 100,000 rows looks empty to a planner
-- that has not analyzed it yet, and a claim then read and sorted every waiting row, or found the claimed rows by
-- reading the whole table). No JIT: a claim is small, and compiling it would cost a hundred times its run.

-- A system whose deliveries may go now: enabled, not paused, and not being listed by a run (a write there moves
-- documents in the (updated, id) order a page-numbered listing reads in, so pages already read would skip them).
-- A run silent for two minutes (its process died; it saves a heartbeat with every page) holds nothing.
CREATE OR REPLACE FUNCTION concord_system_takes_deliveries(s systems) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT s.enabled AND (s.paused_until IS NULL OR s.paused_until <= now())
     AND NOT EXISTS (SELECT 1 FROM runs r WHERE r.system = s.key AND r.status = 'running' AND r.phase = 'reading'
                       AND coalesce((r.options->>'heartbeatAt')::timestamptz, r.started_at) > now() - interval '2 minutes')
$$;
--> statement-breakpoint
-- One delivery of a (record, system) at a time: none goes while another of the pair is in flight.
CREATE OR REPLACE FUNCTION concord_pair_in_flight(p_record_id uuid, p_system text) RETURNS boolean
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM deliveries f WHERE f.record_id = p_record_id AND f.system = p_system
                   AND f.status = 'in_flight' AND f.lease_until > now())
$$;
--> statement-breakpoint
-- Claims up to max_n due deliveries (oldest due first) with FOR UPDATE SKIP LOCKED, and returns them with their
-- records and links as one jsonb array. The records are read by a second statement, after the claim: each is at
-- least as new as the delivery that was claimed for it.
CREATE OR REPLACE FUNCTION concord_claim_deliveries(lease_ms double precision, worker text, max_n integer) RETURNS jsonb
LANGUAGE plpgsql
SET enable_bitmapscan = off
SET enable_seqscan = off
SET jit = off
AS $$
DECLARE
  claimed jsonb;
BEGIN
  WITH picked AS (
    SELECT q.id, q.next_attempt_at
      FROM systems s
      CROSS JOIN LATERAL (
        SELECT c.id, c.next_attempt_at FROM deliveries c
         WHERE c.system = s.key AND c.status IN ('pending', 'retrying') AND c.next_attempt_at <= now()
           AND NOT concord_pair_in_flight(c.record_id, c.system)
         ORDER BY c.next_attempt_at, c.id
         LIMIT max_n
         FOR UPDATE OF c SKIP LOCKED) q
     WHERE concord_system_takes_deliveries(s)
     ORDER BY q.next_attempt_at, q.id
     LIMIT max_n
  ), done AS (
    UPDATE deliveries d
       SET status = 'in_flight', lease_until = now() + (lease_ms * interval '1 millisecond'), claimed_by = worker, updated_at = now()
      FROM picked p, systems s
     WHERE d.id = ANY (ARRAY(SELECT id FROM picked)) AND d.id = p.id AND s.key = d.system
    RETURNING d.id, d.record_id, d.entity, d.system, d.attempts, d.fields, d.run_id, s.xmin::text AS system_version
  )
  SELECT coalesce(jsonb_agg(to_jsonb(done) ORDER BY done.id), '[]'::jsonb) INTO claimed FROM done;
  RETURN (
    SELECT coalesce(jsonb_agg(x.item || jsonb_build_object(
             'record', (SELECT to_jsonb(r) FROM records r WHERE r.id = (x.item->>'record_id')::uuid),
             'links', coalesce((SELECT jsonb_agg(jsonb_build_object('system', l.system, 'externalId', l.external_id, 'lastValues', l.last_values, 'seenAt', l.seen_at))
                                  FROM links l WHERE l.record_id = (x.item->>'record_id')::uuid), '[]'::jsonb))
             ORDER BY x.n), '[]'::jsonb)
      FROM jsonb_array_elements(claimed) WITH ORDINALITY AS x(item, n));
END;
$$;
--> statement-breakpoint
-- When the next claimable delivery falls due (null: none waits), so an idle worker knows how long it may sleep.
CREATE OR REPLACE FUNCTION concord_next_delivery_due() RETURNS timestamptz
LANGUAGE sql STABLE
SET enable_bitmapscan = off
SET enable_seqscan = off
SET jit = off
AS $$
  SELECT min(q.next_attempt_at)
    FROM systems s
    CROSS JOIN LATERAL (
      SELECT c.next_attempt_at FROM deliveries c
       WHERE c.system = s.key AND c.status IN ('pending', 'retrying') AND NOT concord_pair_in_flight(c.record_id, c.system)
       ORDER BY c.next_attempt_at, c.id
       LIMIT 1) q
   WHERE concord_system_takes_deliveries(s)
$$;
