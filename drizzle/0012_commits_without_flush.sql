-- Claims commit without waiting for their WAL flush (synchronous_commit off for the claim's own transaction only).
-- A claim is a lease: if the server crashes and loses it, the rows are simply waiting again, as they would be after
-- the lease ran out, and the next claim takes them. Before a create or an update goes out, its echo-ledger entry is
-- committed with a flush (synchronous_commit on), and that flush makes everything committed before it durable too,
-- the claim included. A delete carries no ledger entry: one sent on the strength of a claim (or an applied event)
-- that a crash then loses is sent again when its stored event is applied again, and removing what is gone changes
-- nothing. A claim is then one round trip without a disk flush, where it waited about 2 ms for one.

CREATE OR REPLACE FUNCTION concord_claim_deliveries(lease_ms double precision, worker text, max_n integer) RETURNS jsonb
LANGUAGE plpgsql
SET enable_bitmapscan = off
SET enable_seqscan = off
SET jit = off
AS $$
DECLARE
  claimed jsonb;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
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
-- Claims up to max_n stored webhook events, oldest first, with FOR UPDATE SKIP LOCKED and a lease, and returns them
-- with the unfinished events older than the newest of them that are not in the batch (their bodies name their
-- documents, which only the application can read: an event must wait for every older event of its document).
-- One round trip, committed without a flush (see above: the event itself was stored with one before its 202).
CREATE OR REPLACE FUNCTION concord_claim_webhook_events(lease_ms double precision, max_n integer) RETURNS jsonb
LANGUAGE plpgsql
SET jit = off
AS $$
DECLARE
  claimed jsonb;
  ids bigint[];
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  WITH done AS (
    UPDATE webhook_events e
       SET status = 'processing', lease_until = now() + (lease_ms * interval '1 millisecond'), attempts = e.attempts + 1
     WHERE e.id IN (SELECT w.id FROM webhook_events w
                     WHERE (w.status = 'pending' AND (w.lease_until IS NULL OR w.lease_until < now()))
                        OR (w.status = 'processing' AND w.lease_until < now())
                     ORDER BY w.id LIMIT max_n FOR UPDATE SKIP LOCKED)
    RETURNING e.id, e.system, e.body, e.attempts
  )
  SELECT coalesce(jsonb_agg(to_jsonb(done) ORDER BY done.id), '[]'::jsonb), coalesce(array_agg(done.id), '{}') INTO claimed, ids FROM done;
  IF cardinality(ids) = 0 THEN
    RETURN jsonb_build_object('claimed', claimed, 'older', '[]'::jsonb);
  END IF;
  RETURN jsonb_build_object('claimed', claimed, 'older', (
    SELECT coalesce(jsonb_agg(jsonb_build_object('id', o.id, 'system', o.system, 'body', o.body) ORDER BY o.id), '[]'::jsonb)
      FROM webhook_events o
     WHERE o.status IN ('pending', 'processing') AND o.id < (SELECT max(i) FROM unnest(ids) AS i) AND o.id <> ALL (ids)));
END;
$$;
--> statement-breakpoint
-- Reserves a block of send slots to a system: `span_us` of send time on its shared "next allowed time" (GCRA), and
-- returns how long until the first slot (ms; 0 or less: now). Committed without a flush: a reservation lost in a
-- server crash only lets the processes reserve that block again, once, right after the restart.
CREATE OR REPLACE FUNCTION concord_reserve_rate_slots(p_system text, span_us double precision) RETURNS double precision
LANGUAGE plpgsql AS $$
DECLARE
  wait_ms double precision;
BEGIN
  PERFORM set_config('synchronous_commit', 'off', true);
  INSERT INTO rate_pacing (system, next_at) VALUES (p_system, clock_timestamp() + (span_us * interval '1 microsecond'))
  ON CONFLICT (system) DO UPDATE SET next_at = greatest(rate_pacing.next_at, clock_timestamp()) + (span_us * interval '1 microsecond')
  RETURNING extract(epoch FROM (next_at - (span_us * interval '1 microsecond') - clock_timestamp())) * 1000 INTO wait_ms;
  RETURN wait_ms;
END;
$$;
