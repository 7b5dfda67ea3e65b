// Generated from the API document by scripts/api-types.mjs (npm run api-types); do not edit.
export interface paths {
    "/admin/dead-letters": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Events the projector set aside, in log order */
        get: operations["DeadLettersController_list"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/digest": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A content digest of the read model
         * @description sha256 over the live read model (or `generation`), for every tenant or the `tenant` ones, in (tenant, profile_id) order.
         */
        get: operations["DigestController_digest"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/rebuild": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The running rebuild, or the last one */
        get: operations["RebuildController_current"];
        put?: never;
        /** Start a rebuild of the read model into a fresh generation */
        post: operations["RebuildController_start"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/replay": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every profile as it was at a point of the log, as NDJSON */
        get: operations["ReplayController_replay"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Checkpoint, head of the log, lag, rate, dead letters and rebuild of the live projection; the unifier's partitions */
        get: operations["StatusController_status"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/live": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: the process answers */
        get: operations["HealthController_live"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the log answers, the projector follows it, the unifier reaches its leases */
        get: operations["HealthController_ready"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Prometheus metrics */
        get: operations["MetricsController_scrape"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profile-schema": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the whole profile schema
         * @description **Scopes:** `internal_cds_profile_schema_view`.
         */
        get: operations["ReadSchemaController_all"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profile-schema/{scope}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the definitions of a scope
         * @description **Scopes:** `internal_cds_profile_schema_view`.
         */
        get: operations["ReadSchemaController_scope"];
        put?: never;
        /**
         * Define attributes in a scope
         * @description One attribute object or an array of up to 1000; all are defined or none.
         *
         *     **Scopes:** `internal_cds_profile_schema_manage`.
         */
        post: operations["DefineAttributesController_define"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profile-schema/{scope}/{attributeId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one attribute definition
         * @description **Scopes:** `internal_cds_profile_schema_view`.
         */
        get: operations["ReadSchemaController_one"];
        /**
         * Change an attribute definition
         * @description `attribute_name`, `value_type` and `application_identifier` are fixed once defined; a multi-valued attribute stays multi-valued.
         *
         *     **Scopes:** `internal_cds_profile_schema_manage`.
         */
        put: operations["UpdateAttributeController_update"];
        post?: never;
        /**
         * Remove an attribute definition
         * @description New writes to it are refused; stored values stay. The property of a unification rule cannot be removed while the rule exists (409 `attribute_in_use`).
         *
         *     **Scopes:** `internal_cds_profile_schema_manage`.
         */
        delete: operations["DeleteAttributeController_remove"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List and filter profiles
         * @description **Scopes:** `internal_cds_profile_view`.
         */
        get: operations["ListProfilesController_list"];
        put?: never;
        /**
         * Create a temporary profile
         * @description Answers with the profile and sets the `cds_profile` cookie to its tracker. A request carrying a live `cds_profile` cookie gets that profile (200) instead of a new one; attributes sent along are written to it.
         *
         *     **Scopes:** `internal_cds_profile_create`.
         */
        post: operations["CreateProfileController_create"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a unified profile
         * @description From the read model, which is eventually consistent; with `as_of`, folded from the log as it was then instead.
         *
         *     **Scopes:** `internal_cds_profile_view`.
         */
        get: operations["GetProfileController_get"];
        put?: never;
        post?: never;
        /**
         * Erase a profile
         * @description Erases the profile and every profile merged into it.
         *
         *     **Scopes:** `internal_cds_profile_delete`.
         */
        delete: operations["DeleteProfileController_remove"];
        options?: never;
        head?: never;
        /**
         * Write attributes to a profile
         * @description Each value meets the stored one through its merge strategy (combine, overwrite, oldest, sum); `null` clears a value.
         *
         *     **Scopes:** `internal_cds_profile_update`.
         */
        patch: operations["PatchProfileController_patch"];
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles/{id}/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export everything kept about a data subject
         * @description One JSON document to download (right of access and to portability): the unified profile, every profile merged into it with its data as it was when it merged, and the whole history (every page) as history items. A merged-away id exports its survivor; an erased one is 404.
         *
         *     **Scopes:** `internal_cds_profile_view`.
         */
        get: operations["ExportProfileController_export"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles/{id}/history": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the history of a profile
         * @description The history items of the profile and of everything merged into it, in log order, read from the log. A merged-away id answers with its survivor’s history.
         *
         *     **Scopes:** `internal_cds_profile_view`.
         */
        get: operations["GetProfileHistoryController_history"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Merge another profile into this one, by hand
         * @description `{profile_id}` merges into the profile in the path, which survives (reason `manual`); a merged-away id stands for its survivor. Profiles of different users are refused (409). A pair split apart by an unmerge may be merged again this way. Answers once the merge is done, with the unified profile.
         *
         *     **Scopes:** `internal_cds_profile_merge`.
         */
        post: operations["MergeProfilesController_merge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles/{id}/unmerge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Undo a merge: split a merged profile off exactly
         * @description `{profile_id}`, a profile merged into the one in the path (directly), lives again as itself: its own events plus the writes that reached the survivor through its id or tracker after the merge; profiles merged into it before go with it. The survivor is recomputed as if the merge had never happened. An undone user_id merge cancels the split-off profile’s user stamp. The pair is kept apart from rule matches until merged by hand. 409 when the profile is not merged into this one. Answers once the split is done.
         *
         *     **Scopes:** `internal_cds_profile_merge`.
         */
        post: operations["UnmergeProfileController_unmerge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/profiles/sync": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Sign-in and the identity provider’s lifecycle events
         * @description `{event, user_id, anonymous_profile_tracker}`, or WSO2 Identity Server’s webhook body `{event, userId, profileCookie?, profileId?, claims?, orgHandle?}`. `AUTHENTICATION_SUCCESS` (the default) stamps the user on the browser’s profile; the first profile to carry a user id is permanent and later ones merge into it, and the answer is the unified profile. `POST_ADD_USER` does the same with a cookie, and without one makes sure the user has a permanent profile. `SESSION_TERMINATE` makes the cookie stop leading to its profile (the profile stays the user’s). `POST_DELETE_USER_WITH_ID` erases the user’s permanent profile as DELETE does (204). Any other event is a 400 naming the ones accepted.
         *
         *     **Scopes:** `internal_cds_profile_update`.
         */
        post: operations["SyncProfileController_sync"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/unification-rules": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the rules
         * @description **Scopes:** `internal_cds_unification_rules_view`.
         */
        get: operations["ReadRulesController_all"];
        put?: never;
        /**
         * Add an identity resolution rule
         * @description Without a priority the rule goes to the end of the list.
         *
         *     **Scopes:** `internal_cds_unification_rules_manage`.
         */
        post: operations["AddRuleController_add"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/cds/api/v1/unification-rules/{ruleId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read one rule
         * @description **Scopes:** `internal_cds_unification_rules_view`.
         */
        get: operations["ReadRulesController_one"];
        put?: never;
        post?: never;
        /**
         * Remove a rule
         * @description **Scopes:** `internal_cds_unification_rules_manage`.
         */
        delete: operations["RemoveRuleController_remove"];
        options?: never;
        head?: never;
        /**
         * Change a rule
         * @description `property_name` is fixed: it may be sent, but only with the value it has.
         *
         *     **Scopes:** `internal_cds_unification_rules_manage`.
         */
        patch: operations["ChangeRuleController_change"];
        trace?: never;
    };
    "/t/{org}/cds/api/v1/unification-rules/priorities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /**
         * Reorder the rules
         * @description `{priorities: [{rule_id, priority}, …]}` naming every rule once.
         *
         *     **Scopes:** `internal_cds_unification_rules_manage`.
         */
        put: operations["ReprioritizeRulesController_reprioritize"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/t/{org}/oauth2/token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Get an access token (client credentials)
         * @description The built-in issuer: Basic auth with the client id and secret (or `client_id` / `client_secret` form fields). The token is bound to the organization in the path and carries the scopes asked for in `scope` (all when it is absent); a repeated `scope` field adds its scopes, and an unknown scope is refused. Tokens expire after `expires_in` seconds.
         */
        post: operations["IssueTokenController_issue"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AddRuleDto: {
            blocked_values?: string[] | null;
            immutable?: boolean;
            is_active?: boolean;
            max_profiles?: number | null;
            priority?: number;
            property_name: string;
            rule_name: string;
        };
        /**
         * @description Per application (its client id): that application's attribute values.
         * @example {
         *       "shop_web": {
         *         "viewed_products": [
         *           "sku-1"
         *         ]
         *       }
         *     }
         */
        ApplicationData: {
            [key: string]: components["schemas"]["AttributeValues"];
        };
        /** @description A changed definition. The name, value type and application are fixed: they may be sent, but only with the values they have. */
        AttributeChange: {
            application_identifier?: string;
            attribute_name?: string;
            description?: string;
            max_values?: number;
            /** @enum {string} */
            merge_strategy: "combine" | "overwrite" | "oldest" | "sum";
            /** @default false */
            multi_valued: boolean;
            /** @enum {string} */
            value_type?: "string" | "integer" | "decimal" | "boolean" | "date_time" | "complex";
        };
        AttributeDefinition: {
            application_identifier?: string;
            attribute_id: string;
            /** @example traits.interests */
            attribute_name: string;
            description?: string;
            max_values?: number;
            /** @enum {string} */
            merge_strategy: "combine" | "overwrite" | "oldest" | "sum";
            multi_valued: boolean;
            /** @example interests */
            name: string;
            /** @enum {string} */
            scope: "identity_attributes" | "traits" | "application_data";
            /** @enum {string} */
            value_type: "string" | "integer" | "decimal" | "boolean" | "date_time" | "complex";
        };
        AttributeInput: {
            /** @description application_data only: the client id of the application. */
            application_identifier?: string;
            /** @description The name, optionally with the scope of the path: `interests` or `traits.interests`. */
            attribute_name: string;
            description?: string;
            /** @description Multi-valued only: the oldest values beyond it are dropped. */
            max_values?: number;
            /**
             * @description `combine` needs `multi_valued: true`; `sum` needs a number type.
             * @enum {string}
             */
            merge_strategy: "combine" | "overwrite" | "oldest" | "sum";
            /** @default false */
            multi_valued: boolean;
            /** @enum {string} */
            value_type: "string" | "integer" | "decimal" | "boolean" | "date_time" | "complex";
        };
        /**
         * @description Attribute name → value. Names, value types and merge strategies come from the profile schema of the scope; `null` clears a value.
         * @example {
         *       "interests": [
         *         "running"
         *       ],
         *       "last_page": "/shoes"
         *     }
         */
        AttributeValues: {
            [key: string]: unknown;
        };
        ChangeRuleDto: {
            blocked_values?: string[] | null;
            immutable?: boolean;
            is_active?: boolean;
            max_profiles?: number | null;
            priority?: number;
            property_name?: string;
            rule_name?: string;
        };
        /** @description `{}` or initial attributes by scope. */
        CreateProfileRequest: {
            application_data?: components["schemas"]["ApplicationData"];
            identity_attributes?: components["schemas"]["AttributeValues"];
            /**
             * @description `false` marks a profile kept on legitimate interest.
             * @default true
             */
            tracking_consent: boolean;
            traits?: components["schemas"]["AttributeValues"];
        };
        DeadLetterPage: {
            count: number;
            dead_letters: {
                /** Format: date-time */
                at: string;
                error: string;
                event_id: string;
                position: number;
                projector: string;
                revision: number;
                stream: string;
                type: string;
            }[];
            generation: string;
            next_after: number | null;
        };
        /** @description Every error: a stable code to branch on, a message for people, and per-field details when there are any. */
        Error: {
            /** @example invalid_body */
            code: string;
            details?: {
                field?: string;
                reason: string;
            }[];
            /** @example The request body is not valid */
            message: string;
        };
        /** @description One entry of a profile history (version 1), told apart by `type`. Stored events are not the API: each is mapped to one of these. */
        HistoryItem: {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @description false: kept on legitimate interest. */
            tracking_consent: boolean;
            /** @enum {string} */
            type: "profile_created";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: uuid
             * @description The profile the writer addressed, when it is one that had merged into this one (an unmerge gives the write back to it).
             */
            addressed_to?: string;
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            source: "http" | "kafka";
            /** @enum {string} */
            type: "attributes_written";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
            writes: {
                /** @description application_data only. */
                application_identifier?: string;
                /** @example traits.interests */
                attribute_name: string;
                /** @description The value written; null when the write cleared the attribute. */
                value: unknown;
            }[];
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            type: "user_id_stamped";
            user_id: string;
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * @description A shared user_id, a unification rule (then `rule_name`), or a merge by hand.
             * @enum {string}
             */
            reason: "user_id" | "rule" | "manual";
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            rule_name?: string;
            /** Format: uuid */
            survivor_id: string;
            /**
             * @description Which side started the merge.
             * @enum {string}
             */
            triggered_by: "survivor" | "merged";
            /** @enum {string} */
            type: "merged_away";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** Format: uuid */
            merged_profile_id: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * @description A shared user_id, a unification rule (then `rule_name`), or a merge by hand.
             * @enum {string}
             */
            reason: "user_id" | "rule" | "manual";
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            rule_name?: string;
            /** @description `sum` attributes whose two values added up beyond what they can hold: they kept the bound. */
            saturated?: string[];
            /**
             * @description Which side started the merge.
             * @enum {string}
             */
            triggered_by: "survivor" | "merged";
            /** @enum {string} */
            type: "profile_merged_in";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            type: "profile_erased";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** Format: uuid */
            other_profile_id: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            type: "merge_requested";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** Format: uuid */
            merged_profile_id: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            type: "unmerge_requested";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** Format: uuid */
            merged_profile_id: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            type: "profile_split_off";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
            /** @description Writes that had reached this profile through the split-off one and went back to it. */
            writes_returned: number;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** Format: uuid */
            survivor_id: string;
            /** @enum {string} */
            type: "profile_restored";
            /** @description A user_id merge was undone: the user stamp it brought is cancelled. */
            user_id_cancelled: boolean;
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
            /** @description Writes addressed to this profile while it was merged, now its own again. */
            writes_returned: number;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** Format: uuid */
            other_profile_id: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * @description kept_apart: the two were split apart; max_profiles: the rule joins no more profiles.
             * @enum {string}
             */
            reason: "kept_apart" | "max_profiles";
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            rule_name: string;
            /** @enum {string} */
            type: "merge_blocked";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        } | {
            /**
             * Format: date-time
             * @description When it happened.
             */
            at: string;
            /** @description Position in the log: pass it as `as_of` to see the profile right after it. */
            position: number;
            /**
             * Format: uuid
             * @description The profile whose stream holds the event: the survivor or one merged into it.
             */
            profile_id: string;
            /**
             * Format: date-time
             * @description When the log stored it.
             */
            recorded_at: string;
            /** @description The event's place in that profile's stream. */
            revision: number;
            /** @enum {string} */
            type: "tracker_released";
            /**
             * @description The version of this item shape.
             * @enum {integer}
             */
            version: 1;
        };
        /** @description One page of a profile’s history, oldest first. */
        HistoryPage: {
            events: components["schemas"]["HistoryItem"][];
            next_cursor: string | null;
            /**
             * Format: uuid
             * @description The live profile (a merged-away id leads to its survivor).
             */
            profile_id: string;
            /** @description Its id and those of every profile merged into it. */
            profile_ids: string[];
        };
        OtherProfileDto: {
            profile_id: unknown;
        };
        /** @description The unified profile. A merged-away id answers with its survivor. */
        Profile: {
            anonymous_profile_tracker: string;
            application_data: components["schemas"]["ApplicationData"];
            identity_attributes: components["schemas"]["AttributeValues"];
            merged_from: {
                /** Format: date-time */
                merged_at: string;
                /**
                 * Format: uuid
                 * @description The profile it merged into: this one, or one merged into it before.
                 */
                merged_into?: string;
                /** Format: uuid */
                profile_id: string;
                /** @enum {string} */
                reason: "user_id" | "rule" | "manual";
                rule_name?: string;
                /** @enum {string} */
                triggered_by: "survivor" | "merged";
            }[];
            meta: {
                /** Format: date-time */
                created_at: string;
                /** @example acme/cds/api/v1/profiles/0b7e… */
                location: string;
                /** Format: date-time */
                updated_at: string;
            };
            /** Format: uuid */
            profile_id: string;
            traits: components["schemas"]["AttributeValues"];
            user_id: string | null;
            verified: boolean;
        };
        /** @description Attributes by scope; each value meets the stored one through its merge strategy. */
        ProfileAttributes: {
            application_data?: components["schemas"]["ApplicationData"];
            identity_attributes?: components["schemas"]["AttributeValues"];
            traits?: components["schemas"]["AttributeValues"];
        };
        ProfilePage: {
            pagination: {
                count: number;
                /** @description Pass as `cursor` for the next page; absent on the last page. */
                next_cursor?: string;
                page_size: number;
            };
            profiles: components["schemas"]["Profile"][];
        };
        /** @description Every definition, by scope. */
        ProfileSchema: {
            application_data?: components["schemas"]["AttributeDefinition"][];
            identity_attributes?: components["schemas"]["AttributeDefinition"][];
            traits?: components["schemas"]["AttributeDefinition"][];
        };
        Readiness: {
            log_head: number | null;
            /** @description Why the service is not ready. */
            problems?: string[];
            /** @description The in-process projector (position, events projected, running, last error) or the external checkpoint. */
            projector: Record<string, never>;
            /** @enum {string} */
            status: "ok" | "unavailable";
            /** @description The unifier partitions this instance holds by lease (`leases.held`; null when it takes none) and its unifiers running (how far each got). */
            unifier?: {
                leases?: Record<string, never> | null;
                running?: Record<string, never>[];
            };
        };
        RebuildJob: {
            error: string | null;
            finished_at: string | null;
            generation: string | null;
            id: string;
            progress: Record<string, never> | null;
            result: Record<string, never> | null;
            /** Format: date-time */
            started_at: string;
            /** @enum {string} */
            state: "running" | "succeeded" | "failed";
        };
        RebuildRequest: {
            /** @default 1000 */
            batch_size: number;
            /** @default false */
            digest: boolean;
            /**
             * @description Start over instead of resuming the unfinished generation.
             * @default false
             */
            fresh: boolean;
            /**
             * @description Switch readers to the new generation once it has caught up.
             * @default true
             */
            switch: boolean;
        };
        RulePriorities: {
            priorities: {
                priority: number;
                rule_id: string;
            }[];
        };
        /** @description Everything kept about a data subject, as one document. */
        SubjectExport: {
            /** Format: date-time */
            exported_at: string;
            /** @enum {string} */
            format: "cds-subject-export";
            /** @description The whole history, oldest first. */
            history: components["schemas"]["HistoryItem"][];
            /** @description Every profile merged into it, directly or through others. */
            merged_profiles: {
                /** Format: date-time */
                merged_at: string;
                /** Format: uuid */
                profile_id: string;
                /** @enum {string} */
                reason: "user_id" | "rule" | "manual";
                rule_name?: string;
                /** @enum {string} */
                triggered_by: "survivor" | "merged";
                when_merged: {
                    application_data: components["schemas"]["ApplicationData"];
                    identity_attributes: components["schemas"]["AttributeValues"];
                    traits: components["schemas"]["AttributeValues"];
                    user_id: string | null;
                } | null;
            }[];
            organization: string;
            profile: components["schemas"]["Profile"];
            /** @enum {integer} */
            version: 1;
        };
        SyncProfileDto: {
            anonymous_profile_tracker?: string;
            claims?: Record<string, never>;
            /** @enum {unknown} */
            event?: "AUTHENTICATION_SUCCESS" | "POST_ADD_USER" | "SESSION_TERMINATE" | "POST_DELETE_USER_WITH_ID";
            orgHandle?: string;
            profileCookie?: string;
            profileId?: unknown;
            user_id?: string;
            userId?: string;
        };
        TokenRequest: {
            /** @description Instead of Basic auth. */
            client_id?: string;
            /** @description Instead of Basic auth. */
            client_secret?: string;
            /** @enum {string} */
            grant_type: "client_credentials";
            /** @description Space-separated; all scopes when absent. One or more of: internal_cds_profile_create, internal_cds_profile_update, internal_cds_profile_view, internal_cds_profile_delete, internal_cds_profile_merge, internal_cds_profile_schema_view, internal_cds_profile_schema_manage, internal_cds_unification_rules_view, internal_cds_unification_rules_manage. */
            scope?: string;
        };
        TokenResponse: {
            access_token: string;
            /** @description Seconds. */
            expires_in: number;
            scope: string;
            /** @enum {string} */
            token_type: "Bearer";
        };
        UnificationRule: {
            /** @description Values that never match through this rule (exact, case-sensitive). */
            blocked_values?: string[];
            /** @description Two profiles holding different non-empty values are never merged. */
            immutable: boolean;
            is_active: boolean;
            max_profiles?: number | null;
            /** @description 1 is evaluated first. */
            priority: number;
            /** @example identity_attributes.email */
            property_name: string;
            rule_id: string;
            rule_name: string;
        };
    };
    responses: {
        /** @description The request is not valid: body, parameter or organization handle (see `details`). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request contradicts what is stored (a name already taken, a rule that blocks the change). */
        Conflict: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The token is for another organization or lacks the route's scope. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The request line and headers together exceed 16 KB. */
        HeadersTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Nothing with that id in this organization. */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is larger than the limit. */
        PayloadTooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The read model or the log cannot answer right now: `read_model_behind` when a `wait_for_position` wait ran out (the write is in the log; retry the read), `log_unavailable` when the log cannot be reached. */
        ReadModelBehind: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description No bearer token, or one that is not valid. */
        Unauthorized: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description Not now, retry: `log_unavailable` (the log cannot be reached; nothing was written), `write_contention` (too many concurrent writes to one profile; nothing was written), `unification_pending` (a sign-in is recorded but its profiles are still being unified; retrying the same request has no second effect). */
        Unavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The Idempotency-Key was used before with another body (`idempotency_key_reused`). */
        UnprocessableContent: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The body is not of the media type the route takes (JSON, or a form for tokens). */
        UnsupportedMediaType: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A path parameter is longer than the service reads. */
        UriTooLong: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
        IdempotencyKey: string;
        /** @description A log position a write answered with (`cds-log-position`): the read waits, at most 10 s, until the read model holds it. A position the log has not reached answers 409 `position_not_reached` at once; a wait that runs out answers 503 `read_model_behind` with Retry-After. */
        WaitForPosition: string;
    };
    requestBodies: never;
    headers: {
        /** @description The log position this write produced; pass it as `wait_for_position` to read your own write. */
        LogPosition: string;
        /** @description Seconds to wait before asking again. */
        RetryAfter: string;
        /** @description `pending` when the answer came before identity resolution had acted on the write; it still will, and a later read shows the unified profile. */
        Unification: "pending";
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    DeadLettersController_list: {
        parameters: {
            query?: {
                /** @description Log position to start after. */
                after?: number;
                /** @description A read-model generation; the active one when absent. */
                generation?: string;
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of dead letters. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeadLetterPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    DigestController_digest: {
        parameters: {
            query?: {
                generation?: string;
                tenant?: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The digest. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        active: boolean;
                        generation: string;
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    RebuildController_current: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rebuild. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RebuildJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description No rebuild has run in this process. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    RebuildController_start: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["RebuildRequest"];
            };
        };
        responses: {
            /** @description Started; follow it with GET. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RebuildJob"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            /** @description A rebuild is running already. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            413: components["responses"]["PayloadTooLarge"];
            415: components["responses"]["UnsupportedMediaType"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ReplayController_replay: {
        parameters: {
            query?: {
                /** @description A log position or an ISO time; the head when absent. */
                as_of?: string;
                tenant?: string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One `{"tenant", "profile"}` line per profile, then `{"replay_end": {...}}`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    StatusController_status: {
        parameters: {
            query?: {
                /** @description With an external projector: how long to watch the checkpoint for the rate. */
                sample_ms?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The status. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": Record<string, never>;
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    HealthController_live: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alive. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @enum {string} */
                        status: "ok";
                    };
                };
            };
            400: components["responses"]["BadRequest"];
            431: components["responses"]["HeadersTooLarge"];
        };
    };
    HealthController_ready: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ready. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
            400: components["responses"]["BadRequest"];
            431: components["responses"]["HeadersTooLarge"];
            /** @description Not ready: the event store cannot answer or the projector stopped (see `problems`). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Readiness"];
                };
            };
        };
    };
    MetricsController_scrape: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Text exposition format 0.0.4. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/plain; version=0.0.4": string;
                };
            };
            400: components["responses"]["BadRequest"];
            431: components["responses"]["HeadersTooLarge"];
        };
    };
    ReadSchemaController_all: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Definitions by scope. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfileSchema"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ReadSchemaController_scope: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Attribute scope. */
                scope: "identity_attributes" | "traits" | "application_data";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The definitions. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttributeDefinition"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    DefineAttributesController_define: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Attribute scope. */
                scope: "identity_attributes" | "traits" | "application_data";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AttributeInput"] | components["schemas"]["AttributeInput"][];
            };
        };
        responses: {
            /** @description The definitions, each with its `attribute_id` (one object for one, an array for an array). */
            201: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttributeDefinition"] | components["schemas"]["AttributeDefinition"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ReadSchemaController_one: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Attribute id, as defining it answered. */
                attributeId: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Attribute scope. */
                scope: "identity_attributes" | "traits" | "application_data";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The definition. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttributeDefinition"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    UpdateAttributeController_update: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Attribute id, as defining it answered. */
                attributeId: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Attribute scope. */
                scope: "identity_attributes" | "traits" | "application_data";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AttributeChange"];
            };
        };
        responses: {
            /** @description The definition as changed. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AttributeDefinition"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    DeleteAttributeController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Attribute id, as defining it answered. */
                attributeId: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Attribute scope. */
                scope: "identity_attributes" | "traits" | "application_data";
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            414: components["responses"]["UriTooLong"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ListProfilesController_list: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                /** @description `<attribute> eq|co|sw <value>`, e.g. `traits.interests co run` or `user_id eq user-42`; repeat to combine (all must match). */
                filter?: string[];
                /** @description Profiles per page, in decimal digits. */
                page_size?: number;
                /** @description A log position a write answered with (`cds-log-position`): the read waits, at most 10 s, until the read model holds it. A position the log has not reached answers 409 `position_not_reached` at once; a wait that runs out answers 503 `read_model_behind` with Retry-After. */
                wait_for_position?: components["parameters"]["WaitForPosition"];
            };
            header?: never;
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page, in profile id order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ProfilePage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["ReadModelBehind"];
        };
    };
    CreateProfileController_create: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: {
                /** @description The browser's anonymous profile tracker. */
                cds_profile?: string;
            };
        };
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateProfileRequest"];
            };
        };
        responses: {
            /** @description The cookie's profile (or its survivor). */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description Created; `Set-Cookie` carries the tracker and `Location` the profile. */
            201: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    GetProfileController_get: {
        parameters: {
            query?: {
                /** @description A log position (digits) or an ISO 8601 time with a zone: the profile as it was right after it. A merged-away id answers with its survivor as of then. */
                as_of?: string;
                /** @description A log position a write answered with (`cds-log-position`): the read waits, at most 10 s, until the read model holds it. A position the log has not reached answers 409 `position_not_reached` at once; a wait that runs out answers 503 `read_model_behind` with Retry-After. */
                wait_for_position?: components["parameters"]["WaitForPosition"];
            };
            header?: never;
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The profile; for a merged-away id, its survivor. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["ReadModelBehind"];
        };
    };
    DeleteProfileController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Erased. */
            204: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            414: components["responses"]["UriTooLong"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    PatchProfileController_patch: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ProfileAttributes"];
            };
        };
        responses: {
            /** @description The profile as the write left it. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ExportProfileController_export: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The export, as an attachment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SubjectExport"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    GetProfileHistoryController_history: {
        parameters: {
            query?: {
                /** @description `next_cursor` of the page before. */
                cursor?: string;
                /** @description Items per page, in decimal digits. */
                page_size?: number;
            };
            header?: never;
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of history, oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HistoryPage"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    MergeProfilesController_merge: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OtherProfileDto"];
            };
        };
        responses: {
            /** @description The unified profile after the merge. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    UnmergeProfileController_unmerge: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /** @description Profile id. */
                id: string;
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OtherProfileDto"];
            };
        };
        responses: {
            /** @description The survivor as it stays. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    SyncProfileController_sync: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SyncProfileDto"];
            };
        };
        responses: {
            /** @description The user’s permanent profile. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Profile"];
                };
            };
            /** @description The user’s profile was erased (`POST_DELETE_USER_WITH_ID`). */
            204: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ReadRulesController_all: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every rule, highest priority (1) first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnificationRule"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    AddRuleController_add: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AddRuleDto"];
            };
        };
        responses: {
            /** @description The rule with its `rule_id`. */
            201: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnificationRule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ReadRulesController_one: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Rule id, as adding it answered. */
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rule. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnificationRule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            414: components["responses"]["UriTooLong"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    RemoveRuleController_remove: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Rule id, as adding it answered. */
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Removed. */
            204: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            414: components["responses"]["UriTooLong"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ChangeRuleController_change: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
                /** @description Rule id, as adding it answered. */
                ruleId: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChangeRuleDto"];
            };
        };
        responses: {
            /** @description The rule as changed. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnificationRule"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    ReprioritizeRulesController_reprioritize: {
        parameters: {
            query?: never;
            header?: {
                /** @description A retried write with the same key has no second effect (1 to 200 visible ASCII characters). */
                "Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RulePriorities"];
            };
        };
        responses: {
            /** @description Every rule in its new order. */
            200: {
                headers: {
                    "cds-log-position": components["headers"]["LogPosition"];
                    "cds-unification": components["headers"]["Unification"];
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UnificationRule"][];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            409: components["responses"]["Conflict"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            422: components["responses"]["UnprocessableContent"];
            431: components["responses"]["HeadersTooLarge"];
            503: components["responses"]["Unavailable"];
        };
    };
    IssueTokenController_issue: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /**
                 * @description Organization handle (the tenant); the token must be for it.
                 * @example acme
                 */
                org: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/x-www-form-urlencoded": components["schemas"]["TokenRequest"];
            };
        };
        responses: {
            /** @description A bearer token. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenResponse"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthorized"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["PayloadTooLarge"];
            414: components["responses"]["UriTooLong"];
            415: components["responses"]["UnsupportedMediaType"];
            431: components["responses"]["HeadersTooLarge"];
        };
    };
}
