-- The W3C traceparent of the call that made each payload, so that a payload sent after a restart still continues the
-- trace of the event behind it (the receiver's traceparent header, the span of its POST). Null when it was not traced.
ALTER TABLE journeys_event_outbox ADD COLUMN trace_parent text NULL;
