-- 0009 — certificates (issue 5, item 6; docs/certificates.md): one per course completion
-- that was not failed (exam certificates come with the exams), with a human serial
-- "PAR-YYYY-NNNNNN" numbered without gaps per year, and a verification code signed with
-- HMAC (lms-core/src/cert_code.c). Issuing a certificate and its certificate_issued event
-- happen in one transaction, as do a revocation and its certificate_revoked event. A
-- certificate is never deleted and never changes, except that it can be revoked once.

CREATE TABLE certificate_serial (
    year      int PRIMARY KEY CHECK (year BETWEEN 2000 AND 9999),
    last_seq  int NOT NULL CHECK (last_seq >= 1)
);

CREATE TABLE certificate (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    serial           text NOT NULL UNIQUE,
    code             text NOT NULL UNIQUE,   -- the verification code, as printed
    key_id           int NOT NULL,           -- which signing key (app_secret cert_key_<id>)
    kind             text NOT NULL CHECK (kind IN ('course', 'exam')),
    completion_id    bigint UNIQUE REFERENCES completion (id),
    user_id          bigint NOT NULL REFERENCES app_user (id),
    person_id        bigint REFERENCES person (id),
    unit_id          bigint REFERENCES org_unit (id),   -- the person's unit when issued
    learner_name     text NOT NULL,
    employee_code    text,
    course_id        bigint REFERENCES course (id),
    version_no       int,
    title            text NOT NULL,
    passed           boolean,
    score            double precision,
    periods          int,
    completed_at     timestamptz NOT NULL,
    issued_at        timestamptz NOT NULL DEFAULT now(),
    issuing_unit_id  bigint NOT NULL REFERENCES org_unit (id),
    revoked_at       timestamptz,
    revoked_by       text,
    revoke_reason    text CHECK (revoke_reason IS NULL OR length(revoke_reason) BETWEEN 1 AND 500),
    CHECK ((revoked_at IS NULL) = (revoke_reason IS NULL))
);
CREATE INDEX certificate_user ON certificate (user_id);
CREATE INDEX certificate_unit ON certificate (unit_id, issued_at);

-- Only the revocation may be written after issue, and only once; nothing is deleted.
CREATE FUNCTION certificate_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'certificates are never deleted' USING ERRCODE = 'restrict_violation';
    END IF;
    IF OLD.revoked_at IS NOT NULL
       OR (to_jsonb(NEW) - 'revoked_at' - 'revoked_by' - 'revoke_reason')
          IS DISTINCT FROM (to_jsonb(OLD) - 'revoked_at' - 'revoked_by' - 'revoke_reason') THEN
        RAISE EXCEPTION 'a certificate changes only by being revoked, once'
            USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;
CREATE TRIGGER certificate_guard BEFORE UPDATE OR DELETE ON certificate
    FOR EACH ROW EXECUTE FUNCTION certificate_guard();
