-- 0002 — courses, their package versions, item trees and files.
-- A course (stable code) has versions 1, 2, ...; a new version never changes an earlier one,
-- so learners in progress keep the version they started (issue 3: versions). The files of a
-- version live under DATA/content/v/<storage_key>/, hard links to content-addressed blobs.

CREATE TABLE course (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    code        text NOT NULL UNIQUE CHECK (code ~ '^[A-Za-z0-9._-]{1,32}$'),
    title       text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE course_version (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    course_id      bigint NOT NULL REFERENCES course (id),
    version_no     int NOT NULL CHECK (version_no >= 1),
    kind           text NOT NULL CHECK (kind IN ('scorm12', 'scorm2004', 'native', 'ims')),
    scorm_edition  int NOT NULL DEFAULT 0,
    title          text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    package_sha256 text NOT NULL CHECK (package_sha256 ~ '^[0-9a-f]{64}$'),
    storage_key    text NOT NULL UNIQUE CHECK (storage_key ~ '^[A-Za-z0-9_-]{16,64}$'),
    file_count     int NOT NULL,
    total_bytes    bigint NOT NULL,
    warnings       int NOT NULL DEFAULT 0,
    imported_by    text NOT NULL,
    imported_at    timestamptz NOT NULL DEFAULT now(),
    UNIQUE (course_id, version_no)
);

-- The item tree of the default organisation, in document order; parent_ord points into the
-- same version. SCORM data the player needs is kept as written in the manifest.
CREATE TABLE course_item (
    version_id     bigint NOT NULL REFERENCES course_version (id),
    ord            int NOT NULL,
    parent_ord     int,
    identifier     text NOT NULL,
    title          text NOT NULL,
    href           text,            -- launch path inside the package, query kept
    parameters     text,
    scorm_type     text,            -- 'sco', 'asset' or NULL
    is_visible     boolean NOT NULL DEFAULT true,
    mastery_score  text,            -- SCORM 1.2 adlcp:masteryscore
    prerequisites  text,
    max_time_allowed text,
    time_limit_action text,
    data_from_lms  text,
    completion_threshold text,
    sequencing_xml text,
    presentation_xml text,
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE course_file (
    version_id  bigint NOT NULL REFERENCES course_version (id),
    path        text NOT NULL,
    sha256      text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size        bigint NOT NULL,
    PRIMARY KEY (version_id, path)
);
CREATE INDEX course_file_blob ON course_file (sha256);

-- Installation secrets, made once by the first node that needs them (content URL signing).
CREATE TABLE app_secret (
    name        text PRIMARY KEY,
    value       bytea NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
