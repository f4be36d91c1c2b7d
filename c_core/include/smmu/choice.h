/* SPDX-License-Identifier: Apache-2.0 OR MIT */
/* Open choices (issue 22; catalogue: docs/choices.md): behaviours the architecture leaves to the
 * implementation (CONSTRAINED UNPREDICTABLE cases, "an implementation does one of the
 * following", software-observable IMPLEMENTATION DEFINED behaviour) that a driver can observe.
 * Each settable one has an id (SMMU_CHOICE_*), a name, and two or more behaviours numbered from
 * 0; behaviour 0 is what the model did before choices existed (the default profile).
 *
 * smmu_params_t.choices (smmu.h) selects them: a profile for all (SMMU_PROFILE_*) and per-choice
 * overrides. Profiles:
 *   default  behaviour 0 everywhere (the model as it always was);
 *   strict   everywhere the behaviour least forgiving to software (check RES0 fields, honour
 *            alignment exactly, report what can be reported);
 *   lenient  the forgiving behaviour (ignore RES0 fields, and so on);
 *   random   each choice drawn afresh at each event where it applies, from a generator seeded by
 *            choices.seed that lives in the instance (reproducible: same seed, same sequence of
 *            events, same draws; smmu_reset reseeds). It draws only among the behaviours the
 *            architecture permits (a model-only tolerance, docs/choices.md "kind", keeps its
 *            default behaviour under random).
 * Choices that can draw (architected ones, under random) are decided in the register and
 * command paths only (under the instance's lock with params.concurrent); on the translation
 * path only model-only choices are asked, which never draw. */
#ifndef SMMU_CHOICE_H
#define SMMU_CHOICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The settable choices; names and behaviours in smmu_choice_name / smmu_choice_behaviour_name. */
enum {
    /* 4.1.5: a non-zero Reserved (RES0) field of a command. 0 "ill": CERROR_ILL; 1 "ignore":
       the command is carried out as if the field were 0. */
    SMMU_CHOICE_CMD_RES0 = 0,
    /* 6.3.26, 6.3.29, 6.3.33 (and the SMMU_S_ twins): a queue base ADDR with bits set below the
       queue size. 0 "align": the SMMU aligns the effective base to the larger of the queue size
       or 32 bytes, ignoring those bits (what the spec prescribes); 1 "as_written": the base is
       used as written (bits [4:0] treated as zero), as hardware that does not clear the bits
       behaves; a model-only tolerance, not an architected option (never drawn by random). */
    SMMU_CHOICE_QUEUE_BASE_ALIGN = 1,
    /* 6.2: a 64-bit access to two adjacent 32-bit registers. 0 "split": two 32-bit accesses
       (low half first); 1 "razwi": the access is RAZ/WI. */
    SMMU_CHOICE_REG64_PAIR = 2,
    /* 6.3.20, 6.3.68: software toggles a GERRORN bit whose error is inactive. 0 "activate":
       the error reads as active (GERROR != GERRORN for it), without an interrupt; 1 "ignore":
       the toggle is ignored (the bit of GERRORN keeps its value). */
    SMMU_CHOICE_GERRORN_INACTIVE = 3,
    /* 4.5.1, 4.5.2: CMD_ATC_INV / CMD_PRI_RESP with SSV == 1 when SubstreamIDs are not supported
       (IDR1.SSIDSIZE == 0). 0 "as_ssv0": the command behaves as though SSV == 0; 1 "no_effect":
       the command has no effect. */
    SMMU_CHOICE_ATS_SSV_NO_PASID = 4,
    /* 4.1.7, 4.3.1, 4.3.3: CMD_CFGI_STE / CMD_CFGI_CD with an out-of-range StreamID (beyond
       IDR1.SIDSIZE) or SubstreamID (beyond IDR1.SSIDSIZE). 0 "no_effect": nothing is
       invalidated; 1 "truncate": the parameter is truncated to its implemented bits and the
       command acts on that StreamID / SubstreamID. */
    SMMU_CHOICE_CFGI_OUT_OF_RANGE = 5,
    /* 6.3.24 (and SMMU_S_STRTAB_BASE): a Stream table base ADDR with bits set below the
       alignment the format needs (a linear table's size; the larger of 64 bytes or a 2-level
       table's first-level size). 0 "align": those bits ignored (what the spec prescribes); 1
       "as_written": the base used as written, a model-only tolerance like queue_base_align
       (never drawn by random). Decided on the translation path: a model-only choice never
       draws, so it reads only the params there. */
    SMMU_CHOICE_STRTAB_BASE_ALIGN = 6,
    /* 6.2: the Page 0 offsets of registers defined on Page 1 (EVENTQ_PROD / CONS 0xA8 / 0xAC,
       PRIQ_PROD / CONS 0xC8 / 0xCC). 0 "razwi": RAZ/WI; 1 "alias": they reach the Page 1
       register (what drivers with a "page 0 only" option rely on). */
    SMMU_CHOICE_PAGE0_ALIAS = 7,
    /* 6.2: undefined / Reserved locations of Page 1. 0 "res0": RES0 (RAZ/WI); 1 "alias": the
       access acts as one to the same offset in Page 0 (Pages 0 and 1 alias). */
    SMMU_CHOICE_PAGE1_RESERVED = 8,
    /* 4.1.7, 4.4.2: a CMD_TLBI_* VMID with bits set above 8 without IDR0.VMID16, or an ASID
       above 8 bits without IDR0.ASID16 (not required to be checked). 0 "no_effect": the value
       is used as given and matches no entry; 1 "truncate": it is truncated to 8 bits. */
    SMMU_CHOICE_TLBI_OUT_OF_RANGE = 9,
    SMMU_CHOICE_COUNT
};
/* Room of smmu_choices_t.set: more choices can be added without changing the struct's size. */
enum { SMMU_CHOICE_MAX = 32 };

/* Behaviour numbers (the index into a choice's behaviours). */
enum { SMMU_CMD_RES0_ILL = 0, SMMU_CMD_RES0_IGNORE = 1 };
enum { SMMU_QUEUE_BASE_ALIGN = 0, SMMU_QUEUE_BASE_AS_WRITTEN = 1 };
enum { SMMU_REG64_PAIR_SPLIT = 0, SMMU_REG64_PAIR_RAZWI = 1 };
enum { SMMU_GERRORN_INACTIVE_ACTIVATE = 0, SMMU_GERRORN_INACTIVE_IGNORE = 1 };
enum { SMMU_ATS_SSV_AS_SSV0 = 0, SMMU_ATS_SSV_NO_EFFECT = 1 };
enum { SMMU_CFGI_RANGE_NO_EFFECT = 0, SMMU_CFGI_RANGE_TRUNCATE = 1 };
enum { SMMU_STRTAB_BASE_ALIGN = 0, SMMU_STRTAB_BASE_AS_WRITTEN = 1 };
enum { SMMU_PAGE0_ALIAS_RAZWI = 0, SMMU_PAGE0_ALIAS_ALIAS = 1 };
enum { SMMU_PAGE1_RESERVED_RES0 = 0, SMMU_PAGE1_RESERVED_ALIAS = 1 };
enum { SMMU_TLBI_RANGE_NO_EFFECT = 0, SMMU_TLBI_RANGE_TRUNCATE = 1 };

enum { SMMU_PROFILE_DEFAULT = 0, SMMU_PROFILE_STRICT, SMMU_PROFILE_LENIENT, SMMU_PROFILE_RANDOM };

/* Per-choice override: SMMU_CHOICE_FROM_PROFILE, or 1 + a behaviour number. */
enum { SMMU_CHOICE_FROM_PROFILE = 0 };

typedef struct smmu_choices {
    uint8_t profile;              /* SMMU_PROFILE_* (default: SMMU_PROFILE_DEFAULT) */
    uint64_t seed;                /* random profile: the generator's seed (0 is taken as 1) */
    uint8_t set[SMMU_CHOICE_MAX]; /* indexed by SMMU_CHOICE_*: 0 from the profile, 1 + behaviour */
} smmu_choices_t;

/* The catalogue as the core knows it (for tools, and for the test that checks docs/choices.md). */
unsigned smmu_choice_count(void);             /* SMMU_CHOICE_COUNT */
const char *smmu_choice_name(unsigned id);    /* e.g. "cmd_res0"; NULL out of range */
const char *smmu_choice_section(unsigned id); /* spec section(s), e.g. "4.1.5" */
unsigned smmu_choice_behaviours(unsigned id); /* number of behaviours (0 out of range) */
const char *smmu_choice_behaviour_name(unsigned id, unsigned b); /* NULL out of range */
bool smmu_choice_architected(unsigned id, unsigned b);           /* false: a model-only tolerance */
/* The behaviour a fixed profile takes (random: -1; out of range: -1). */
int smmu_choice_profile_behaviour(unsigned profile, unsigned id);
int smmu_choice_lookup(const char *name);                        /* id, or -1 */
int smmu_choice_behaviour_lookup(unsigned id, const char *name); /* behaviour, or -1 */
const char *smmu_profile_name(unsigned profile);                 /* NULL out of range */
int smmu_profile_lookup(const char *name);                       /* SMMU_PROFILE_*, or -1 */

/* Parses a settings text into c: items separated by ',', ';' or white space, each NAME=VALUE
   (or NAME:VALUE): "profile=strict", "seed=42" (decimal or 0x hex) or "<choice>=<behaviour>"
   (a per-choice override; "<choice>=profile" removes one). Items apply in order onto c as it is.
   Returns 0, or -1 with a message in err (err may be NULL) and c partly updated. */
int smmu_choices_parse(smmu_choices_t *c, const char *text, char *err, size_t err_len);

#ifdef __cplusplus
}
#endif

#endif
