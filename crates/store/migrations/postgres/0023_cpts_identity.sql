-- What the SAS is told of a CPTS: its FINESS number (category 604) and a phone number.
ALTER TABLE cpts ADD COLUMN finess TEXT NOT NULL DEFAULT '';
ALTER TABLE cpts ADD COLUMN phone TEXT NOT NULL DEFAULT '';
