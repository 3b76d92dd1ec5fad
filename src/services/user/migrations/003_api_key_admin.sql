-- The admin console's view of every user's API keys. The admin role already holds api_key:*
-- and super_admin "*", so no grant is needed; the catalogue lists the permission for custom roles.
INSERT INTO permissions (name, description) VALUES
  ('api_key:admin', 'List and revoke every user''s API keys');
