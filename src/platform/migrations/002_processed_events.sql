-- Consumer-side deduplication: one row per (consumer, event) whose effect was applied.
CREATE TABLE processed_events (
  consumer TEXT NOT NULL,
  event_id TEXT NOT NULL,
  processed_at BIGINT NOT NULL,
  PRIMARY KEY (consumer, event_id)
);
CREATE INDEX processed_events_by_time ON processed_events (processed_at);
