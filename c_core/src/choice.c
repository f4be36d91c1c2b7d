/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Open choices (<smmu/choice.h>, docs/choices.md): the catalogue of settable choices, the
 * profiles, the settings parser, and the decision each choice's code asks for at each event
 * (smmu_choice). The random profile's generator (xorshift64) lives in the instance, seeded from
 * params.choices.seed at smmu_new and smmu_reset: no global state. */
#include "choice.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "instance.h"

typedef struct {
    const char *name;
    const char *section;
    const char *beh[2];
    uint8_t strict, lenient; /* the behaviour of each fixed profile (default: 0) */
    bool model_only_1;       /* behaviour 1 is a model-only tolerance, not architected */
} choice_desc_t;

static const choice_desc_t choices[SMMU_CHOICE_COUNT] = {
    [SMMU_CHOICE_CMD_RES0] = {"cmd_res0", "4.1.5", {"ill", "ignore"}, 0, 1, false},
    [SMMU_CHOICE_QUEUE_BASE_ALIGN] =
        {"queue_base_align", "6.3.26", {"align", "as_written"}, 0, 1, true},
    [SMMU_CHOICE_REG64_PAIR] = {"reg64_pair", "6.2", {"split", "razwi"}, 1, 0, false},
    [SMMU_CHOICE_GERRORN_INACTIVE] =
        {"gerrorn_inactive", "6.3.20", {"activate", "ignore"}, 0, 1, false},
    [SMMU_CHOICE_ATS_SSV_NO_PASID] =
        {"ats_ssv_no_pasid", "4.5", {"as_ssv0", "no_effect"}, 1, 0, false},
    [SMMU_CHOICE_CFGI_OUT_OF_RANGE] =
        {"cfgi_out_of_range", "4.1.7", {"no_effect", "truncate"}, 0, 1, false},
    [SMMU_CHOICE_STRTAB_BASE_ALIGN] =
        {"strtab_base_align", "6.3.24", {"align", "as_written"}, 0, 1, true},
    [SMMU_CHOICE_PAGE0_ALIAS] = {"page0_alias", "6.2", {"razwi", "alias"}, 0, 1, false},
    [SMMU_CHOICE_PAGE1_RESERVED] = {"page1_reserved", "6.2", {"res0", "alias"}, 0, 1, false},
    [SMMU_CHOICE_TLBI_OUT_OF_RANGE] =
        {"tlbi_out_of_range", "4.1.7", {"no_effect", "truncate"}, 0, 1, false},
};

static const char *const profiles[] = {"default", "strict", "lenient", "random"};
enum { N_PROFILES = sizeof(profiles) / sizeof(profiles[0]) };

unsigned smmu_choice_count(void) {
    return SMMU_CHOICE_COUNT;
}

const char *smmu_choice_name(unsigned id) {
    return id < SMMU_CHOICE_COUNT ? choices[id].name : NULL;
}

const char *smmu_choice_section(unsigned id) {
    return id < SMMU_CHOICE_COUNT ? choices[id].section : NULL;
}

unsigned smmu_choice_behaviours(unsigned id) {
    return id < SMMU_CHOICE_COUNT ? 2u : 0u;
}

const char *smmu_choice_behaviour_name(unsigned id, unsigned b) {
    return id < SMMU_CHOICE_COUNT && b < 2 ? choices[id].beh[b] : NULL;
}

bool smmu_choice_architected(unsigned id, unsigned b) {
    if (id >= SMMU_CHOICE_COUNT || b >= 2) return false;
    return !(b == 1 && choices[id].model_only_1);
}

int smmu_choice_profile_behaviour(unsigned profile, unsigned id) {
    if (id >= SMMU_CHOICE_COUNT) return -1;
    switch (profile) {
    case SMMU_PROFILE_DEFAULT:
        return 0;
    case SMMU_PROFILE_STRICT:
        return choices[id].strict;
    case SMMU_PROFILE_LENIENT:
        return choices[id].lenient;
    default:
        return -1;
    }
}

int smmu_choice_lookup(const char *name) {
    for (unsigned i = 0; name && i < SMMU_CHOICE_COUNT; i++)
        if (!strcmp(name, choices[i].name)) return (int)i;
    return -1;
}

int smmu_choice_behaviour_lookup(unsigned id, const char *name) {
    for (unsigned b = 0; name && b < smmu_choice_behaviours(id); b++)
        if (!strcmp(name, choices[id].beh[b])) return (int)b;
    return -1;
}

const char *smmu_profile_name(unsigned profile) {
    return profile < N_PROFILES ? profiles[profile] : NULL;
}

int smmu_profile_lookup(const char *name) {
    for (unsigned i = 0; name && i < N_PROFILES; i++)
        if (!strcmp(name, profiles[i])) return (int)i;
    return -1;
}

/* ------------------------------------------------------------------ settings text */

static int fail(char *err, size_t len, const char *what, const char *item) {
    if (err && len) snprintf(err, len, "%s: \"%s\"", what, item);
    return -1;
}

/* One NAME=VALUE item (NUL-terminated, in a scratch buffer). */
static int parse_item(smmu_choices_t *c, char *item, char *err, size_t len) {
    char *sep = strpbrk(item, "=:");
    if (!sep) return fail(err, len, "expected NAME=VALUE", item);
    *sep = '\0';
    const char *val = sep + 1;
    if (!strcmp(item, "profile")) {
        int p = smmu_profile_lookup(val);
        if (p < 0) return fail(err, len, "profile must be default, strict, lenient or random", val);
        c->profile = (uint8_t)p;
        return 0;
    }
    if (!strcmp(item, "seed")) {
        char *end;
        unsigned long long v = strtoull(val, &end, 0);
        if (!*val || *end) return fail(err, len, "seed must be a number", val);
        c->seed = v;
        return 0;
    }
    int id = smmu_choice_lookup(item);
    if (id < 0) return fail(err, len, "unknown choice", item);
    if (!strcmp(val, "profile")) {
        c->set[id] = SMMU_CHOICE_FROM_PROFILE;
        return 0;
    }
    int b = smmu_choice_behaviour_lookup((unsigned)id, val);
    if (b < 0) return fail(err, len, "unknown behaviour", val);
    c->set[id] = (uint8_t)(b + 1);
    return 0;
}

int smmu_choices_parse(smmu_choices_t *c, const char *text, char *err, size_t err_len) {
    char item[96];
    const char *p = text ? text : "";
    while (*p) {
        size_t n = strcspn(p, ",; \t\n");
        if (n >= sizeof(item)) return fail(err, err_len, "item too long", p);
        memcpy(item, p, n);
        item[n] = '\0';
        if (n && parse_item(c, item, err, err_len)) return -1;
        p += n;
        if (*p) p++;
    }
    return 0;
}

/* ------------------------------------------------------------------ decisions */

bool smmu_choices_ok(const smmu_choices_t *c) {
    if (c->profile >= N_PROFILES) return false;
    for (unsigned i = 0; i < SMMU_CHOICE_MAX; i++) {
        if (c->set[i] == SMMU_CHOICE_FROM_PROFILE) continue;
        if (i >= SMMU_CHOICE_COUNT || c->set[i] > smmu_choice_behaviours(i)) return false;
    }
    return true;
}

void smmu_choice_reseed(smmu_t *s) {
    s->choice_rng = s->p.choices.seed ? s->p.choices.seed : 1;
}

static unsigned draw(smmu_t *s, unsigned id) {
    uint64_t x = s->choice_rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    s->choice_rng = x;
    return (unsigned)(x >> 32) % smmu_choice_behaviours(id);
}

unsigned smmu_choice(smmu_t *s, unsigned id) {
    const smmu_choices_t *c = &s->p.choices;
    if (c->set[id] != SMMU_CHOICE_FROM_PROFILE) return c->set[id] - 1u;
    if (c->profile == SMMU_PROFILE_RANDOM)
        return smmu_choice_architected(id, 1) ? draw(s, id) : 0; /* nothing else to draw */
    return (unsigned)smmu_choice_profile_behaviour(c->profile, id);
}
