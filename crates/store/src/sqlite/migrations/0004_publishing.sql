-- Schema version 4: accounts, publications and the editorial workflow. Essays gain a state, an
-- author account, a publication and revisions; what was stored before stays published.
CREATE TABLE users (
    pk             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL UNIQUE,
    display_name   TEXT NOT NULL,
    role           TEXT NOT NULL,         -- reader | writer | editor | admin
    password_hash  TEXT,                  -- argon2id PHC string; NULL: cannot log in
    created_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- Only hashes of session and API tokens are kept: a copy of the database lets no one in.
CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    user_pk     INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_pk);

CREATE TABLE api_tokens (
    pk          INTEGER PRIMARY KEY,
    user_pk     INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE publications (
    pk           INTEGER PRIMARY KEY,
    slug         TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    links        TEXT NOT NULL DEFAULT '[]'   -- JSON [[label, url], …]
);

CREATE TABLE publication_members (
    publication_pk  INTEGER NOT NULL REFERENCES publications (pk) ON DELETE CASCADE,
    user_pk         INTEGER NOT NULL REFERENCES users (pk) ON DELETE CASCADE,
    role            TEXT NOT NULL,
    PRIMARY KEY (publication_pk, user_pk)
);

ALTER TABLE essays ADD COLUMN state TEXT NOT NULL DEFAULT 'published';
ALTER TABLE essays ADD COLUMN author_pk INTEGER REFERENCES users (pk);
ALTER TABLE essays ADD COLUMN publication_pk INTEGER REFERENCES publications (pk);
ALTER TABLE essays ADD COLUMN spoilers INTEGER NOT NULL DEFAULT 0;
ALTER TABLE essays ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE essays ADD COLUMN updated_at TEXT;
UPDATE essays SET state = 'draft' WHERE published IS NULL;
CREATE INDEX essays_state ON essays (state);
CREATE INDEX essays_author ON essays (author_pk);

-- Every saved version of an essay, with what the checker said of it.
CREATE TABLE essay_revisions (
    essay_pk      INTEGER NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    title         TEXT NOT NULL,
    subtitle      TEXT,
    tags          TEXT NOT NULL DEFAULT '[]',
    spoilers      INTEGER NOT NULL DEFAULT 0,
    body          TEXT NOT NULL,
    user_pk       INTEGER REFERENCES users (pk),
    note          TEXT NOT NULL DEFAULT '',
    supported     INTEGER NOT NULL DEFAULT 0,
    contradicted  TEXT NOT NULL DEFAULT '[]',   -- JSON [[kind, text], …]
    unverifiable  INTEGER NOT NULL DEFAULT 0,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (essay_pk, number)
);

-- An editor's reasoned decision that a contradicted claim stands (kept on record).
CREATE TABLE claim_overrides (
    essay_pk    INTEGER NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    text        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    user_pk     INTEGER REFERENCES users (pk),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    PRIMARY KEY (essay_pk, kind, text)
);

CREATE TABLE corrections (
    pk          INTEGER PRIMARY KEY,
    essay_pk    INTEGER NOT NULL REFERENCES essays (pk) ON DELETE CASCADE,
    revision    INTEGER NOT NULL,
    note        TEXT NOT NULL,
    user_pk     INTEGER REFERENCES users (pk),
    created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE audit_log (
    pk          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    user_pk     INTEGER REFERENCES users (pk),
    action      TEXT NOT NULL,
    object      TEXT NOT NULL,
    detail      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE settings (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
);
