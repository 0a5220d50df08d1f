-- CEU Planner catalog schema (DuckDB). Mirrors catalog/records.py; tests/catalog/test_schema.py checks it.
-- Money is exact DECIMAL in USD; NULL means "not published", never 0.
-- Credits keep their unit in credit_unit; hours are contact hours of 60 minutes.

CREATE TABLE offerings (
    id                     VARCHAR NOT NULL,     -- stable id across snapshots (manual id, or <spider>:<ref>); unique (checked by the build)
    provider               VARCHAR NOT NULL,     -- provider name as in the CSV / spider
    title                  VARCHAR NOT NULL,     -- as the provider writes it
    kind                   VARCHAR NOT NULL,     -- course|membership|bundle|article|conference|exam|cpr|college
    price_usd              DECIMAL(12, 2),       -- exact price; NULL = unknown
    price_min_usd          DECIMAL(12, 2),       -- published range (only a range is known)
    price_max_usd          DECIMAL(12, 2), -- (NULL when the price is exact or unknown)
    member_price_usd       DECIMAL(12, 2),       -- members' price beside the general price_usd; NULL = none stated
    price_basis            VARCHAR NOT NULL,     -- one_time|per_year|per_month
    hours                  DECIMAL(12, 4),       -- contact hours (60 min)
    credits                DECIMAL(12, 4),       -- amount of credit, in credit_unit
    credit_unit            VARCHAR,              -- contact_hour|aama_ceu|iacet_ceu|ccp_point|nha_credit|amca_credit|college_credit|cpr_card; NULL = not stated unambiguously (crawled)
    credit_unit_text       VARCHAR,              -- the unit as the source wrote it ("CEUs"), verbatim; NULL = not stated
    areas                  VARCHAR NOT NULL,     -- 'clinical' or 'clinical:1;general:2'; '' = unknown
    credits_general        DECIMAL(12, 4),       -- credits (credit_unit) in each AAMA area; NULL = unknown
    credits_clinical       DECIMAL(12, 4), -- (same unit as credits)
    credits_administrative DECIMAL(12, 4), -- (same unit as credits)
    area_source            VARCHAR,              -- stated (provider) | inferred (classifier) | NULL
    area_confidence        DOUBLE,               -- classifier probability for inferred areas
    topics                 VARCHAR[] NOT NULL,   -- topic tags (medical_errors, laws_and_rules, ...)
    approved_by            VARCHAR[] NOT NULL,   -- bodies that approved the credit
    accepted_by            VARCHAR[] NOT NULL,   -- credentialing bodies stated to accept it
    delivery               VARCHAR,              -- online|self_study|live_webinar|in_person|conference|journal
    covers                 VARCHAR NOT NULL,     -- memberships/bundles: 'field=value;...' filter of covered offerings
    discount_pct           DECIMAL(6, 2),        -- memberships/bundles: percent off each covered offering
    term_months            INTEGER,              -- membership term
    valid_from             DATE,                 -- offering or approval validity
    valid_until            DATE, -- (NULL = no stated end)
    url                    VARCHAR NOT NULL,     -- the page where a human can verify these facts
    description            VARCHAR NOT NULL,     -- plain text ('' when none)
    source                 VARCHAR NOT NULL,     -- manual/<file>.csv or spider:<name>
    source_line            INTEGER,              -- CSV line (manual sources)
    retrieved_at           TIMESTAMP,            -- when the facts were seen (UTC)
    pool_credits           DECIMAL(12, 4),       -- memberships/bundles: stated aggregate credits (at least), per pool_per
    pool_unit              VARCHAR,              -- unit of pool_credits (as credit_unit)
    pool_per               VARCHAR,              -- year (per year of membership) | term (per term bought)
    pool_areas             VARCHAR NOT NULL,     -- areas the source says the pool spans, 'general;clinical'; '' = those of the covered offerings
    audience               VARCHAR NOT NULL,     -- who it is for, 'medical_assistant;any_healthcare' (catalog/audience.py); '' = not stated
    eligibility            VARCHAR NOT NULL      -- who may take it, 'employer=X|member_of=Y' (alternatives); '' = no stated limit
);

CREATE TABLE providers (
    provider        VARCHAR PRIMARY KEY, -- provider name
    offerings       BIGINT NOT NULL,   -- rows in offerings
    with_price      BIGINT NOT NULL,   -- exact price or range known
    with_credits    BIGINT NOT NULL,   -- credits known (credit-awarding kinds)
    with_area       BIGINT NOT NULL,   -- area known (stated or inferred)
    with_inferred_area BIGINT NOT NULL, -- of those, inferred by the classifier
    credit_kinds    BIGINT NOT NULL,   -- offerings of credit-awarding kinds
    sources         VARCHAR[] NOT NULL -- where its rows came from
);

CREATE TABLE offering_sources (
    offering_id   VARCHAR NOT NULL,  -- offerings.id (a merged duplicate keeps every source)
    source        VARCHAR NOT NULL, -- manual/<file>.csv or spider:<name>
    source_line   INTEGER, -- CSV line (manual sources)
    url           VARCHAR NOT NULL, -- page where this source's facts were seen
    price_usd     DECIMAL(12, 2), -- the price this source stated
    retrieved_at  TIMESTAMP      -- UTC
);

CREATE TABLE coverage (
    membership_id VARCHAR NOT NULL,  -- a membership or bundle
    offering_id   VARCHAR NOT NULL,  -- an offering its covers filter matches
    discount_pct  DECIMAL(6, 2) NOT NULL -- percent off the covered offering
);
