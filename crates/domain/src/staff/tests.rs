//! The permission matrix, role × action, as a table to read against Ghost's.

use super::{Action, Role, may};

/// One row per action: whether contributor, author, editor, administrator and owner may do it,
/// first on their own post (or themselves), then on someone else's.
#[rustfmt::skip]
const MATRIX: &[(Action, [bool; 5], [bool; 5])] = {
    use Action as A;
    use Role as R;
    //                                   own: C      A      E      Ad     O        others': C  A      E      Ad     O
    &[
        (A::Browse,                          [true,  true,  true,  true,  true ], [true,  true,  true,  true,  true ]),
        (A::EditDraft,                       [true,  true,  true,  true,  true ], [false, false, true,  true,  true ]),
        (A::EditPublished,                   [false, true,  true,  true,  true ], [false, false, true,  true,  true ]),
        (A::Publish,                         [false, true,  true,  true,  true ], [false, false, true,  true,  true ]),
        (A::DeletePublished,                 [false, true,  true,  true,  true ], [false, false, true,  true,  true ]),
        (A::ManageTags,                      [false, false, true,  true,  true ], [false, false, true,  true,  true ]),
        (A::UploadMedia,                     [true,  true,  true,  true,  true ], [true,  true,  true,  true,  true ]),
        (A::Invite(R::Contributor),          [false, false, true,  true,  true ], [false, false, true,  true,  true ]),
        (A::Invite(R::Author),               [false, false, true,  true,  true ], [false, false, true,  true,  true ]),
        (A::Invite(R::Editor),               [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::Invite(R::Administrator),        [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::Invite(R::Owner),                [false, false, false, false, false], [false, false, false, false, false]),
        (A::ManageStaff(R::Contributor),     [false, false, false, false, false], [false, false, true,  true,  true ]),
        (A::ManageStaff(R::Author),          [false, false, false, false, false], [false, false, true,  true,  true ]),
        (A::ManageStaff(R::Editor),          [false, false, false, false, false], [false, false, false, true,  true ]),
        (A::ManageStaff(R::Administrator),   [false, false, false, false, false], [false, false, false, true,  true ]),
        (A::ManageStaff(R::Owner),           [false, false, false, false, false], [false, false, false, false, false]),
        (A::AssignRole(R::Author),           [false, false, true,  true,  true ], [false, false, true,  true,  true ]),
        (A::AssignRole(R::Editor),           [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::AssignRole(R::Administrator),    [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::AssignRole(R::Owner),            [false, false, false, false, false], [false, false, false, false, false]),
        (A::EditProfile,                     [true,  true,  true,  true,  true ], [true,  true,  true,  true,  true ]),
        (A::Settings,                        [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::Members,                         [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::Tiers,                           [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::Audit,                           [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::Dashboard,                       [false, false, false, true,  true ], [false, false, false, true,  true ]),
        (A::TransferOwnership,               [false, false, false, false, true ], [false, false, false, false, true ]),
    ]
};

#[test]
fn role_by_action_matches_the_matrix() {
    for (action, own, others) in MATRIX {
        for (i, role) in Role::ALL.into_iter().enumerate() {
            assert_eq!(
                may(role, *action, true),
                own[i],
                "{role} {action:?} on their own"
            );
            assert_eq!(
                may(role, *action, false),
                others[i],
                "{role} {action:?} on someone else's"
            );
        }
    }
}

#[test]
fn a_higher_role_may_do_everything_a_lower_one_may() {
    for (action, own, others) in MATRIX {
        for row in [own, others] {
            for pair in row.windows(2) {
                assert!(pair[1] || !pair[0], "{action:?}: {row:?}");
            }
        }
    }
}

#[test]
fn roles_parse_by_name_and_round_trip() {
    for role in Role::ALL {
        assert_eq!(Role::parse(role.as_str()), Ok(role));
        assert_eq!(Role::parse(&role.label().to_uppercase()), Ok(role));
    }
    assert_eq!(Role::parse("admin"), Ok(Role::Administrator));
    assert!(Role::parse("superuser").is_err());
    assert!(Role::parse("").is_err());
}
