-- Indexes for the hot paths that had none (HotPathQueryPlanTest proves each plan at 100k rows):
-- a user's live sessions, most recently used first, without reading their revoked ones
CREATE INDEX refresh_families_user_live_idx ON refresh_families (user_id, last_used_at DESC) WHERE revoked_at IS NULL;
-- the audit log filtered by the actor's name (the filter matches the actor's id or name)
CREATE INDEX audit_events_actor_name_idx ON audit_events (actor, id DESC);
