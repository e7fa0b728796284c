-- Health and social establishments of the FINESS register (reference data shared by every
-- CPTS of the host), with their position converted to WGS84.

CREATE TABLE establishments (
    finess TEXT PRIMARY KEY,
    legal_finess TEXT NOT NULL,
    name TEXT NOT NULL,
    long_name TEXT NOT NULL,
    street TEXT NOT NULL,
    postcode TEXT NOT NULL,
    city TEXT NOT NULL,
    commune TEXT,
    phone TEXT NOT NULL,
    category TEXT NOT NULL,
    category_label TEXT NOT NULL,
    siret TEXT NOT NULL,
    public_service TEXT NOT NULL,
    updated_on TEXT NOT NULL,
    latitude DOUBLE PRECISION,
    longitude DOUBLE PRECISION,
    active BIGINT NOT NULL,
    import_id BIGINT NOT NULL REFERENCES directory_imports(id)
);
CREATE INDEX establishments_commune ON establishments(commune);
