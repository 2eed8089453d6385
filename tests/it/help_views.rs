//! `?` lists the keys of the view in sight (sub-views included), from the keymap; `x` deletes
//! wherever it is bound, and says where deleting happens where nothing can be.

use crate::common::Sandbox;

fn help(s: &Sandbox, screen: &str, keys: &str) -> String {
    s.ok(&["render", screen, "--width", "120", "--height", "60", "--keys", keys])
}

#[test]
fn question_mark_lists_the_keys_of_the_sub_view_in_sight() {
    let s = Sandbox::demo();
    let main = help(&s, "dashboard", "?");
    assert!(main.contains("Keys: Dashboard ") && main.contains("every attention line"), "{main}");
    assert!(!main.contains("add a note"), "the drill-down's keys are not the dashboard's: {main}");
    let drill = help(&s, "dashboard", "Enter ?");
    assert!(drill.contains("Keys: Dashboard › drill-down"), "{drill}");
    assert!(drill.contains("add a note") && drill.contains("delete the selected one"), "{drill}");
    assert!(!drill.contains("every attention line"), "{drill}");

    let checklist = help(&s, "launches", "Enter ?");
    assert!(checklist.contains("Keys: Launches › checklist") && checklist.contains("tick the item"), "{checklist}");
    assert!(!checklist.contains("change the sort order"), "{checklist}");

    let campaign = help(&s, "budget", "Enter ?");
    assert!(campaign.contains("Keys: Budget › campaign") && campaign.contains("undo the last delete"), "{campaign}");

    let meeting = help(&s, "today", "Enter ?");
    assert!(meeting.contains("Keys: Today › meeting"), "{meeting}");
    assert!(!meeting.contains("skip the meeting today"), "{meeting}");
    // Every view ends with the keys that work everywhere, the palette among them.
    assert!(meeting.contains("Everywhere") && meeting.contains("command: import FILE"), "{meeting}");
}

#[test]
fn x_deletes_or_says_where_deleting_happens() {
    let s = Sandbox::demo();
    let list = help(&s, "budget", "x");
    assert!(list.contains("campaigns are not deleted: Enter opens one, then x deletes a spend entry"), "{list}");
    let decisions = help(&s, "decisions", "x");
    assert!(decisions.contains("decisions are never deleted"), "{decisions}");
}
