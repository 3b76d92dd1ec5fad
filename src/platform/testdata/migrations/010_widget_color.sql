ALTER TABLE widgets ADD COLUMN color TEXT;
UPDATE widgets SET color = 'blue';
