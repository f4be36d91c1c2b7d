// SPDX-License-Identifier: Apache-2.0 OR MIT
// Stage-1 permissions (Arm ARM D8.4.1.2, spec 5.4 WXN/UWXN/PAN/HADx, 13.7): the full
// AP x UXN x PXN x WXN x read/write/exec x priv/unpriv matrix against Table D8-65 transcribed
// below, hierarchical APTable/UXNTable/PXNTable, CD.HADx, PAN and UWXN.
#include <sstream>
#include <string>
#include <tuple>

#include "walk_fixture.h"

using namespace twalk;

namespace {

// Arm ARM Table D8-65 "Summary of possible memory access permissions using Direct permissions
// for a stage 1 translation supporting two Exception levels", transcribed row by row.
// wxn == -1 stands for "x" (either value).
struct D865Row {
    int uxn, pxn;
    unsigned ap;
    int wxn;
    const char *perms;
};
const D865Row kD865[] = {
    {0, 0, 0b00, 0, "PrivRead, PrivWrite, PrivExecute, UnprivExecute"},
    {0, 0, 0b00, 1, "PrivRead, PrivWrite, PrivWXN, UnprivExecute"},
    {0, 0, 0b01, 0, "PrivRead, PrivWrite, UnprivRead, UnprivWrite, UnprivExecute"},
    {0, 0, 0b01, 1, "PrivRead, PrivWrite, UnprivRead, UnprivWrite, UnprivWXN"},
    {0, 0, 0b10, -1, "PrivRead, PrivExecute, UnprivExecute"},
    {0, 0, 0b11, -1, "PrivRead, PrivExecute, UnprivRead, UnprivExecute"},
    {0, 1, 0b00, -1, "PrivRead, PrivWrite, UnprivExecute"},
    {0, 1, 0b01, 0, "PrivRead, PrivWrite, UnprivRead, UnprivWrite, UnprivExecute"},
    {0, 1, 0b01, 1, "PrivRead, PrivWrite, UnprivRead, UnprivWrite, UnprivWXN"},
    {0, 1, 0b10, -1, "PrivRead, UnprivExecute"},
    {0, 1, 0b11, -1, "PrivRead, UnprivRead, UnprivExecute"},
    {1, 0, 0b00, 0, "PrivRead, PrivWrite, PrivExecute"},
    {1, 0, 0b00, 1, "PrivRead, PrivWrite, PrivWXN"},
    {1, 0, 0b01, -1, "PrivRead, PrivWrite, UnprivRead, UnprivWrite"},
    {1, 0, 0b10, -1, "PrivRead, PrivExecute"},
    {1, 0, 0b11, -1, "PrivRead, PrivExecute, UnprivRead"},
    {1, 1, 0b00, -1, "PrivRead, PrivWrite"},
    {1, 1, 0b01, -1, "PrivRead, PrivWrite, UnprivRead, UnprivWrite"},
    {1, 1, 0b10, -1, "PrivRead"},
    {1, 1, 0b11, -1, "PrivRead, UnprivRead"},
};

// Permissions (SMMU_PERM_*) the table row grants at one privilege. "xWXN" means the WXN
// control applies, which removes execution of that privilege.
uint8_t grants(const char *perms, bool priv) {
    std::string p = priv ? "Priv" : "Unpriv";
    uint8_t g = 0;
    std::stringstream ss(perms);
    std::string tok;
    while (std::getline(ss, tok, ',')) {
        tok.erase(0, tok.find_first_not_of(' '));
        if (tok == p + "Read") g |= SMMU_PERM_R;
        if (tok == p + "Write") g |= SMMU_PERM_W;
        if (tok == p + "Execute") g |= SMMU_PERM_X;
    }
    return g;
}

const char *d865(int uxn, int pxn, unsigned ap, int wxn) {
    for (const auto &r : kD865)
        if (r.uxn == uxn && r.pxn == pxn && r.ap == ap && (r.wxn == -1 || r.wxn == wxn))
            return r.perms;
    return nullptr;
}

enum Kind { READ, WRITE, EXEC };

constexpr uint64_t VA = 0x0000001234567000ull;
constexpr uint64_t PA = 0x0000000089ABC000ull;

class Perm : public WalkTest {
  protected:
    Tree t;
    void setup(const Cd &cd_base, const Desc &leaf, unsigned table_level = 0,
               uint64_t table_bits = 0) {
        t = tree(12, 0, 48);
        t.table_bits[table_level] = table_bits;
        Cd cd = cd_base;
        cd.ttb0(t.root);
        s1_only(cd);
        map(t, VA, 3, leaf);
    }
    smmu_result_t access(Kind k, bool priv) {
        return xlate(sid, VA, k == WRITE, priv, k == EXEC);
    }
    void expect_perm_fault(Kind k, bool priv) {
        expect_fault(access(k, priv), Ev{.type = F_PERMISSION,
                                         .addr = VA,
                                         .rnw = k != WRITE,
                                         .pnu = priv,
                                         .ind = k == EXEC,
                                         .cls = CLASS_IN});
    }
    void expect_allowed(Kind k, bool priv) {
        expect_ok(access(k, priv), PA);
    }
};

// ---- the matrix
using MatrixParam = std::tuple<int, int, unsigned, int, int, bool>; // uxn pxn ap wxn kind priv

class PermMatrix : public Perm, public ::testing::WithParamInterface<MatrixParam> {};

TEST_P(PermMatrix, MatchesArmArmTableD865) {
    auto [uxn, pxn, ap, wxn, kind, priv] = GetParam();
    const char *row = d865(uxn, pxn, ap, wxn);
    ASSERT_NE(row, nullptr);
    uint8_t g = grants(row, priv);
    // Writes need W, instruction fetches X (execute-only is executable, spec 13.7), reads R.
    uint8_t need = kind == WRITE ? SMMU_PERM_W : kind == EXEC ? SMMU_PERM_X : SMMU_PERM_R;
    setup(Cd::s1(0).wxn(wxn), Desc::page(PA).ap(ap).uxn(uxn).pxn(pxn));
    auto r = access(Kind(kind), priv);
    if (g & need) {
        expect_ok(r, PA);
        EXPECT_EQ(r.perm, g) << row;
    } else {
        expect_fault(r, Ev{.type = F_PERMISSION,
                           .addr = VA,
                           .rnw = kind != WRITE,
                           .pnu = priv,
                           .ind = kind == EXEC,
                           .cls = CLASS_IN});
    }
}

std::string matrix_name(const ::testing::TestParamInfo<MatrixParam> &i) {
    auto [uxn, pxn, ap, wxn, kind, priv] = i.param;
    static const char *const kinds[] = {"Read", "Write", "Exec"};
    std::string s = "Ap" + std::to_string(ap >> 1) + std::to_string(ap & 1) + "Uxn" +
                    std::to_string(uxn) + "Pxn" + std::to_string(pxn) + "Wxn" +
                    std::to_string(wxn) + (priv ? "Priv" : "Unpriv") + kinds[kind];
    return s;
}

INSTANTIATE_TEST_SUITE_P(D865, PermMatrix,
                         ::testing::Combine(::testing::Values(0, 1), ::testing::Values(0, 1),
                                            ::testing::Values(0u, 1u, 2u, 3u),
                                            ::testing::Values(0, 1),
                                            ::testing::Values(int(READ), int(WRITE), int(EXEC)),
                                            ::testing::Bool()),
                         matrix_name);

} // namespace

// ---- hierarchical controls (Arm ARM Table D8-64; XNTable rules RLQFP and following)
TEST_F(Perm, ApTable01RemovesUnprivilegedAccess) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b01).uxn(true), 1, Desc().aptable(0b01).v);
    expect_perm_fault(READ, false);
    expect_perm_fault(WRITE, false);
    expect_allowed(READ, true);
    expect_allowed(WRITE, true);
}

TEST_F(Perm, ApTable10RemovesWriteAtBothPrivileges) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b01).uxn(true), 2, Desc().aptable(0b10).v);
    expect_perm_fault(WRITE, true);
    expect_perm_fault(WRITE, false);
    expect_allowed(READ, true);
    expect_allowed(READ, false);
}

TEST_F(Perm, ApTable11LeavesPrivilegedReadOnly) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b01).uxn(true), 0, Desc().aptable(0b11).v);
    expect_perm_fault(READ, false);
    expect_perm_fault(WRITE, true);
    expect_allowed(READ, true);
}

TEST_F(Perm, ApTableGrantedPermReported) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b01).uxn(true).pxn(true), 1, Desc().aptable(0b10).v);
    auto r = access(READ, false);
    expect_ok(r, PA);
    EXPECT_EQ(r.perm, SMMU_PERM_R);
}

TEST_F(Perm, PxnTableRemovesPrivilegedExecute) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b00), 1, Desc().pxntable(true).v);
    expect_perm_fault(EXEC, true);
    expect_allowed(EXEC, false);
}

TEST_F(Perm, UxnTableRemovesUnprivilegedExecute) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b00), 2, Desc().uxntable(true).v);
    expect_perm_fault(EXEC, false);
    expect_allowed(EXEC, true);
}

TEST_F(Perm, TableControlsWithoutBitsHaveNoEffect) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b01).uxn(false), 1, Desc().nstable(false).v);
    expect_allowed(WRITE, false);
    expect_allowed(EXEC, false);
}

// CD.HAD0 (spec 5.4): with IDR3.HAD == 1 the table's APTable/XNTable bits are ignored; without
// HAD support the field is RES0 and the hierarchical controls still apply.
TEST_F(Perm, Had0DisablesHierarchicalControls) {
    bool had = (r32(SMMU_IDR3) >> 2) & 1;
    Cd cd = Cd::s1(0);
    cd.f(65, 1, 1); // HAD0
    setup(cd, Desc::page(PA).ap(0b01), 1, Desc().aptable(0b11).pxntable(true).uxntable(true).v);
    if (had) {
        expect_allowed(WRITE, false);
        expect_allowed(EXEC, false);
    } else {
        expect_perm_fault(WRITE, false);
        expect_perm_fault(EXEC, false);
    }
}

TEST_F(Perm, Had1DoesNotAffectTtb0) {
    Cd cd = Cd::s1(0);
    cd.f(129, 1, 1); // HAD1
    setup(cd, Desc::page(PA).ap(0b01), 1, Desc().aptable(0b01).v);
    expect_perm_fault(READ, false);
}

// ---- PAN (spec 5.4, EPAN == 0): privileged data access to an EL0-accessible page faults
TEST_F(Perm, PanPrivilegedReadOfUserReadablePageFaults) {
    setup(Cd::s1(0).pan(true), Desc::page(PA).ap(0b11));
    expect_perm_fault(READ, true);
}

TEST_F(Perm, PanPrivilegedWriteOfUserWritablePageFaults) {
    setup(Cd::s1(0).pan(true), Desc::page(PA).ap(0b01));
    expect_perm_fault(WRITE, true);
    expect_perm_fault(READ, true);
}

TEST_F(Perm, PanAllowsPrivilegedOnlyPage) {
    setup(Cd::s1(0).pan(true), Desc::page(PA).ap(0b00));
    expect_allowed(WRITE, true);
}

TEST_F(Perm, PanDoesNotAffectInstructionFetch) {
    setup(Cd::s1(0).pan(true), Desc::page(PA).ap(0b11));
    auto r = access(EXEC, true);
    expect_ok(r, PA);
    EXPECT_EQ(r.perm, SMMU_PERM_X); // data access removed by PAN, execution kept
}

TEST_F(Perm, PanDoesNotAffectUnprivilegedAccess) {
    setup(Cd::s1(0).pan(true), Desc::page(PA).ap(0b01).uxn(true));
    expect_allowed(WRITE, false);
}

TEST_F(Perm, PanOffAllowsPrivilegedAccessToUserPage) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b11));
    expect_allowed(READ, true);
}

// ---- UWXN (spec 5.4): privileged instruction read from a user-writable page faults
TEST_F(Perm, UwxnPrivilegedExecOfUserWritablePageFaults) {
    setup(Cd::s1(0).uwxn(true), Desc::page(PA).ap(0b01));
    expect_perm_fault(EXEC, true);
}

TEST_F(Perm, UwxnDoesNotAffectPageNotUserWritable) {
    setup(Cd::s1(0).uwxn(true), Desc::page(PA).ap(0b00));
    expect_allowed(EXEC, true);
}

// The first Permission-fault record carries the post-override attributes (7.3.16).
TEST_F(Perm, ReadOnlyPageWriteRecordsRnW0) {
    setup(Cd::s1(0), Desc::page(PA).ap(0b11));
    expect_perm_fault(WRITE, false);
}

// ---- StreamWorld NS-EL2 (STE.STRW = 0b10, CR2.E2H = 0): a regime of one EL (spec 5.2 STRW,
// "the Permissions model used in stage 1"; Arm ARM Table D8-66): AP[1] and PXN are not used,
// XN is bit 54, every access is privileged, and there is no implicit PXN for AP[1] == 1.
// DISABLED until cd.c sets smmu_tt_t.single_el for this StreamWorld (walk.c implements it).
class PermEl2 : public Perm {
  protected:
    void setup_el2(const Desc &leaf) {
        t = tree(12, 0, 48);
        put_ste(sid, Ste::s1(tfx::CDTAB).strw(0b10).dw);
        put_words(tfx::CDTAB, Cd::s1(t.root).dw, 8);
        enable();
        map(t, VA, 3, leaf);
    }
};

TEST_F(PermEl2, PxnBitIsNotUsed) {
    setup_el2(Desc::page(PA).ap(0b00).pxn(true));
    expect_allowed(EXEC, true);
}

TEST_F(PermEl2, XnBit54RemovesExecute) {
    setup_el2(Desc::page(PA).ap(0b00).uxn(true));
    expect_perm_fault(EXEC, true);
}

TEST_F(PermEl2, Ap1IsNotUsedSoNoImplicitPxn) {
    setup_el2(Desc::page(PA).ap(0b01));
    auto r = access(EXEC, true);
    expect_ok(r, PA);
    EXPECT_EQ(r.perm, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X);
}

TEST_F(PermEl2, UnprivilegedAccessIsTreatedAsPrivileged) {
    setup_el2(Desc::page(PA).ap(0b00));
    auto r = access(WRITE, false);
    expect_ok(r, PA);
}
