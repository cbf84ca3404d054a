//! The demo's phrasebook: interviewee roles, slot fillers (capitals, sources, numbers) and the
//! sentence templates the story writer fills. Data only.

/// Interviewees are described by role only; they are never named.
pub(super) struct Role {
    /// Title-case form for headlines ("Former Station Chief").
    pub(super) title: &'static str,
    /// In-sentence form ("a former station chief").
    pub(super) sentence: &'static str,
    /// Completes "spent N years in ...".
    pub(super) career: &'static str,
}

pub(super) const ROLES: [Role; 10] = [
    Role {
        title: "Former Station Chief",
        sentence: "a former station chief",
        career: "the clandestine service, with postings on three continents",
    },
    Role {
        title: "Retired Admiral",
        sentence: "a retired admiral",
        career: "the Navy, including command at sea and a tour on the Joint Staff",
    },
    Role {
        title: "Veteran Analyst",
        sentence: "a veteran intelligence analyst",
        career: "intelligence analysis, much of it written for senior policymakers",
    },
    Role {
        title: "Former Sanctions Official",
        sentence: "a former sanctions official",
        career: "government service designing and enforcing financial sanctions",
    },
    Role {
        title: "Former Cyber Operator",
        sentence: "a former military cyber operator",
        career: "military network operations, both offensive and defensive",
    },
    Role {
        title: "Former Diplomat",
        sentence: "a former senior diplomat",
        career: "the foreign service, including several postings in the region",
    },
    Role {
        title: "Retired General",
        sentence: "a retired Army general",
        career: "the Army, including command in combat and war planning on a theater staff",
    },
    Role {
        title: "Former Counterterrorism Official",
        sentence: "a former counterterrorism official",
        career: "counterterrorism work, from targeting cells to senior policy jobs",
    },
    Role {
        title: "Former Space Operations Officer",
        sentence: "a former space operations officer",
        career: "satellite operations and space control planning",
    },
    Role {
        title: "Former Nonproliferation Negotiator",
        sentence: "a former nonproliferation negotiator",
        career: "arms control negotiations and inspection work",
    },
];

pub(super) const CAPITALS: &[&str] = &[
    "London",
    "Tokyo",
    "Canberra",
    "Warsaw",
    "Paris",
    "Berlin",
    "Seoul",
    "Ottawa",
    "Brussels",
    "Vilnius",
    "Manila",
    "New Delhi",
    "Washington",
    "Helsinki",
];

pub(super) const SOURCES: &[&str] = &[
    "a senior European defense official",
    "one former intelligence officer",
    "a congressional aide who follows the issue closely",
    "a diplomat based in the region",
    "a retired military planner",
    "an official familiar with the internal discussions",
    "a veteran sanctions investigator",
    "a senior allied military officer",
    "one analyst who has briefed the issue to ministers",
    "a former official who worked on the file",
];

pub(super) const NUMBER_WORDS: &[&str] = &["two", "three", "four", "five", "six"];

// ---------------------------------------------------------------------------
// Templates. Slots: {A} actor, {Ap} actor possessive, {S} subject (plural),
// {P} place, {T} topic phrase, {R} related topic phrase, {C} allied capital,
// {O} a source, {N} number word, {K} percentage, {Y} years, {RT} role title,
// {RS} role in a sentence, {RC} role career.
// ---------------------------------------------------------------------------

pub(super) const HEADLINES: [&[&str]; 4] = [
    // Expert Interviews
    &[
        "A {RT} on {Ap} {S}",
        "A {RT} Explains What Is Changing Around {P}",
        "Q&A: A {RT} on {S} and {P}",
        "Five Questions for a {RT} About {S}",
        "Talking {S} With a {RT}",
        "What a {RT} Sees Coming in {P}",
        "A {RT} on Why {S} Matter More Than Ever",
        "The Interview: A {RT} on the Future of {T}",
        "A {RT} on the Misconceptions About {P}",
        "Inside the Room: A {RT} on {Ap} Next Move",
    ],
    // Opinion
    &[
        "!The West Is Misreading {Ap} {S}",
        "Washington Needs a Real Strategy on {S}",
        "Stop Treating {S} as a Sideshow",
        "!Why Allies Cannot Afford to Ignore {Ap} {S}",
        "It Is Time to Rethink Our Approach to {S}",
        "!The Case Against Panic Over {Ap} {S}",
        "Complacency About {P} Is Becoming Expensive",
        "We Have Been Here Before: Old Lessons for {P}",
        "Why {S} Deserve More Attention Than They Get",
        "{C} Should Lead on {S}. It Won't.",
        "The Uncomfortable Truth About {Ap} {S}",
        "Deterrence Around {P} Needs More Than Speeches",
    ],
    // Deep Dive
    &[
        "What {Ap} New {S} Mean for {P}",
        "Inside {Ap} Long Bet on {S}",
        "How {S} Became {Ap} Quiet Advantage",
        "The Hidden Logic of {Ap} {S}",
        "Why {S} Could Reshape the Balance Around {P}",
        "Following the Money Behind {Ap} {S}",
        "Mapping {Ap} {S}: A Field Guide",
        "{S} and the Limits of Deterrence in {P}",
        "The Long Road to {Ap} {S}",
        "Are {S} the Next Flashpoint in {P}?",
        "The Quiet Overhaul of {Ap} {S}",
        "Five Years of {S}: What the Record Shows",
    ],
    // News
    &[
        "{A} Signals Shift on {S}",
        "{A} Weighs New Limits on {S} as Tensions Rise Around {P}",
        "Officials See Rising Risk in {Ap} {S}",
        "!Allies Split Over Response to {Ap} {S}",
        "New Assessment Details Scale of {Ap} {S}",
        "{A} Faces Mounting Pressure Over {S}",
        "!Intelligence Agencies Track Surge in {Ap} {S}",
        "Lawmakers Seek Briefing on {Ap} {S}",
        "+{A} Orders Review of {S} After Incident Near {P}",
        "!Sanctions Target Networks Behind {Ap} {S}",
        "{C} and Partners Draft Joint Plan on {S}",
        "Report: {Ap} {S} Outpacing Official Estimates",
    ],
];

pub(super) const DEKS: [&[&str]; 4] = [
    &[
        "{RS} talks about {S}, {P} and the assumptions worth revisiting.",
        "A practitioner's view of {Ap} {S}, from someone who spent {Y} years close to the problem.",
        "What {RS} sees when looking at {P}, and what outsiders tend to miss.",
        "A frank conversation about {S} and the choices facing officials in {C}.",
    ],
    &[
        "Policymakers keep treating {S} as a side issue. They should stop.",
        "The conventional wisdom on {P} is comfortable, familiar and increasingly out of date.",
        "A sober look at {Ap} {S} argues for patience, but not for complacency.",
        "!Allies need a clearer answer to {Ap} {S} than the one they have now.",
        "The current approach to {T} is built on hope rather than evidence.",
    ],
    &[
        "A close look at the evidence suggests {Ap} {S} are more deliberate, and more consequential, than they appear.",
        "Budgets, deployments and a decade of precedent explain where {S} are heading.",
        "The debate over {S} has been framed too narrowly; the real stakes lie around {P}.",
        "How {A} built its approach to {S}, and what that reveals about its priorities.",
        "The record on {S} is longer and stranger than most accounts allow.",
    ],
    &[
        "{A} has moved on {S}, and officials in {C} are still working out how to respond.",
        "The latest developments around {P} point to a shift officials have expected for months.",
        "What happened, why it matters and what to watch next on {S}.",
        "A short-notice move by {A} has revived questions about {S} and the risks around {P}.",
        "Partners are weighing their options after new details emerged about {Ap} {S}.",
    ],
];

pub(super) const OPENING: &[&str] = &[
    "For most of the past year, {S} sat near the bottom of the agenda in {C}. That has now changed.",
    "{Ap} {S} have drawn more official attention in recent months than in the previous several years combined.",
    "The first sign that something had shifted was easy to miss: a small change in how {A} described its {S} in public.",
    "Ask a room of specialists about {S} and the answers will vary, but on one point there is growing agreement: the old equilibrium around {P} is not holding.",
    "When officials in {C} talk privately about {T}, the conversation now tends to start with {S}.",
    "It has become fashionable to dismiss {Ap} {S} as theater. That reading is comfortable, and probably wrong.",
    "On paper the changes look modest: {N} new directives, a handful of personnel moves and a revised budget line.",
    "Few issues in {T} have moved as quickly, or as quietly, as {S}.",
    "Over the past {N} months, {A} has taken a series of steps that look routine when viewed one at a time.",
    "Crises around {P} tend to begin in a familiar way, and the current debate over {S} fits the pattern uncomfortably well.",
    "There is a version of this story that ends well, but it requires seeing {S} clearly first.",
    "Most of what matters about {S} happens far from the cameras.",
    "The argument over {S} has been running for years; what has changed is the sense of urgency around {P}.",
    "Long before {S} became a headline, practitioners were warning that the issue would eventually force a choice.",
];

pub(super) const CONTEXT: &[&str] = &[
    "The groundwork was laid years ago, when planners first saw {S} as a cheap way to gain leverage without crossing obvious red lines.",
    "{A} has long insisted that its approach is defensive, and there is at least some evidence for that claim.",
    "Earlier rounds of this debate ended in stalemate, largely because no one could agree on what counted as escalation.",
    "What is different now is the tempo: decisions that once took months are being made in days.",
    "Much of the relevant detail remains classified, but the outlines are visible in public budget documents and procurement notices.",
    "Regional governments have watched these developments with a mix of alarm and resignation.",
    "Institutional memory on the issue is thin, because many of the people who handled the last crisis have since moved on.",
    "Partners in {C} have raised the matter repeatedly, with limited results.",
    "The rules that govern {S} were written for a different era and have not kept pace.",
    "Commercial imagery and shipping data have made it harder for anyone to keep such activity entirely out of view.",
    "The issue sits awkwardly between agencies, which helps explain why it has received so little sustained attention.",
    "Attention in most capitals has been consumed by {R}, leaving {S} to a small circle of specialists.",
    "None of this emerged overnight; the trend lines have been visible for at least {N} years.",
    "The last serious review of policy on {P} predates most of the capabilities now in play.",
];

pub(super) const ANALYSIS: &[&str] = &[
    "!The more useful question is not whether {A} intends to escalate, but whether it believes it can do so without paying a price.",
    "For anyone focused on {P}, the logic is straightforward: every month without a response makes the next step cheaper.",
    "!{Ap} calculation appears to rest on the assumption that {R} will absorb the attention of its rivals.",
    "Waiting for clarity may feel prudent in the short term, but it carries real risks over a longer horizon.",
    "The pattern suggests deliberate sequencing rather than improvisation.",
    "None of this amounts to a grand strategy, but it does not need to in order to be effective.",
    "Put simply, {S} offer a way to change facts on the ground while leaving room for denial.",
    "The gap between what is announced and what is delivered remains wide, and that gap is itself a source of instability.",
    "The capability matters less than the signal it sends to partners who are already hedging.",
    "In private, several officials concede that the current approach is reactive and under-resourced.",
    "A recurring theme among practitioners is fatigue: the problem is well understood, but no one owns it.",
    "There is a real danger of mistaking activity for progress.",
    "The most important variable may be domestic politics rather than any external pressure.",
    "Seen in that light, {S} look less like a provocation and more like an insurance policy.",
    "Deterrence works only when the other side believes the costs are real, and that belief is currently in short supply.",
    "Small, incremental moves are hard to answer precisely because none of them looks worth a confrontation on its own.",
];

pub(super) const EVIDENCE: &[&str] = &[
    "By one internal estimate shared with The Meridian Review, activity linked to {S} rose by roughly {K} percent over the past year.",
    "{O} described the trend as \"steady, unglamorous and very hard to reverse.\"",
    "{O} put it more bluntly: \"We are always a step behind, and everyone in the room knows it.\"",
    "Procurement records show at least {N} contracts tied to the effort since the start of the year.",
    "Open-source researchers have documented a marked increase in related activity around {P}.",
    "At least {N} governments have quietly updated their contingency plans as a result, according to people familiar with the discussions.",
    "Budget documents point to sustained investment rather than a one-off surge.",
    "{O} said the issue now features in nearly every senior-level briefing on {T}.",
    "Shipping and flight-tracking data reviewed by analysts show a pattern of activity that began well before it was publicly acknowledged.",
    "{O} estimated that only about {K} percent of the relevant activity is ever detected in real time.",
    "Internal reviews completed over the past {N} years reached broadly similar conclusions, most of which were never acted upon.",
    "{O} said warnings about {S} had been \"on the table for a long time, just never at the top of the pile.\"",
];

pub(super) const COUNTER: &[&str] = &[
    "Skeptics argue that the threat is overstated, and they are not entirely wrong.",
    "There is another reading of the evidence, one that places more weight on domestic politics than on external ambition.",
    "It is possible that {A} is overextending itself, and that the current push will stall on its own.",
    "Critics of a tougher response point out that past attempts to apply pressure produced mixed results at best.",
    "Not everyone in {C} shares this assessment; some officials see an opening for quiet diplomacy.",
    "The counterargument deserves a hearing: overreaction has costs of its own, and smaller partners often pay them.",
    "Some analysts caution that the available data is patchy and may exaggerate the scale of the change.",
    "A minority view holds that {S} are a symptom of weakness rather than strength.",
    "Others note that similar warnings about {P} were issued a decade ago and did not come to pass.",
    "It would be a mistake, however, to assume that every move is part of a coherent plan.",
];

pub(super) const IMPLICATION: &[&str] = &[
    "For policymakers, the immediate task is to decide which signals to send and which to withhold.",
    "The most likely near-term outcome is not a dramatic confrontation but a slow erosion of existing norms.",
    "That makes the next {N} months especially important for anyone with a stake in {P}.",
    "If the trend holds, {S} will become a permanent feature of the security landscape rather than a passing concern.",
    "A credible response would pair better intelligence sharing with clearer public messaging about consequences.",
    "Coordination with partners in {C} will matter more than any single measure taken alone.",
    "The cost of waiting is rising, even if it is not yet visible in the headlines.",
    "For planners, the practical lesson is that {R} and {S} can no longer be handled in separate silos.",
    "Any serious policy will need to be funded for years, not announced for a news cycle.",
    "The options are not good, but some are considerably less bad than others.",
    "Getting the sequencing right will matter as much as getting the substance right.",
    "Whatever the response, it should be built to hold up under pressure rather than to look decisive on the first day.",
];

pub(super) const CLOSING: &[&str] = &[
    "What happens next will depend less on declarations than on the unglamorous work of implementation.",
    "!For now, the safest assumption is that {A} will keep testing limits until it meets firm resistance.",
    "The story is far from over, and its next chapter is likely to be written around {P}.",
    "Watch the budgets, the deployments and the personnel moves: they will tell the story before the speeches do.",
    "Whatever the outcome, the episode has already changed how planners think about {S}.",
    "The window for shaping that outcome is open, but it will not stay open indefinitely.",
    "Those who hope the problem will resolve itself are likely to be disappointed.",
    "It is a slow-moving story, which is exactly why it deserves attention now.",
    "The next test may come sooner than most officials expect.",
    "The Meridian Review will continue to follow the issue as it develops.",
];

pub(super) const NEWS_LEDE: &[&str] = &[
    "{A} has moved to change its posture on {S}, according to officials briefed on the decision.",
    "Governments in the region are scrambling to assess new information about {Ap} {S}.",
    "Officials in {C} were studying fresh reports this week about {Ap} {S}.",
    "A new assessment circulating among allied governments warns that {S} are expanding faster than expected.",
    "{A} announced a review of its {S} on Tuesday, a step that surprised several partners.",
    "Pressure is building on {A} after a series of incidents linked to {S} around {P}.",
    "Lawmakers have requested a classified briefing on {Ap} {S}, according to people familiar with the request.",
    "A shift in {Ap} {S} has prompted urgent consultations among partners, officials said.",
    "New details emerged this week about the scale of {Ap} {S}.",
    "Officials confirmed that {A} has taken new steps involving {S}, though they offered few specifics.",
];

pub(super) const NEWS_DETAIL: &[&str] = &[
    "The move was confirmed in a brief statement and has not been explained publicly in any detail.",
    "Officials in {C} said they were studying the development and declined to comment further.",
    "The decision follows weeks of speculation about {Ap} intentions regarding {S}.",
    "A spokesperson did not respond to a request for comment before publication.",
    "Analysts said the timing was unlikely to be a coincidence.",
    "Two officials, speaking on condition of anonymity because they were not authorized to discuss the matter, said planning had been under way for some time.",
    "The development is expected to come up at a meeting of defense ministers later this month.",
    "{O} said the initial reaction in government had been \"cautious but not surprised.\"",
    "It was not immediately clear whether the change would be permanent.",
    "Markets showed little immediate reaction, though shipping insurers were reported to be reviewing their exposure.",
    "A previous adjustment to policy on {S} drew sharp criticism from partners in {C}.",
    "Further announcements are expected in the coming weeks.",
];

pub(super) const OPINION_VOICE: &[&str] = &[
    "I have watched this debate from inside government and out, and the same mistake keeps recurring.",
    "My argument is simple: we are treating a structural problem as a series of isolated incidents.",
    "We should be honest about what current policy has and has not achieved.",
    "It is tempting to believe that time is on our side. It is not.",
    "The better course is neither escalation nor retreat but sustained, visible commitment.",
    "Those who argue for patience need to explain what, exactly, they expect to change.",
    "I would order the priorities differently than most of the current proposals do.",
    "!We keep asking whether {A} will change course, when the better question is whether we will.",
    "There is no prize for being the last government to notice what is happening around {P}.",
    "I do not pretend this is easy, but difficulty is not a policy.",
    "The people doing the work deserve clearer direction than they are getting.",
    "If I could change one thing, it would be the habit of treating {S} as somebody else's problem.",
];

pub(super) const ANSWER_VOICE: &[&str] = &[
    "In my experience, the people closest to the problem are usually the least surprised.",
    "When I was in the field, we learned to watch logistics rather than rhetoric.",
    "I would not call it a crisis yet, but I would not call it stable either.",
    "I would add one caveat: the picture looks very different depending on where you sit.",
    "I think we underestimate how much of this is improvised.",
    "We spent years preparing for a different kind of contest, and it shows.",
    "Honestly, I am less worried about the headline events than about the slow drift underneath them.",
    "I would start with the basics, because the basics are where most of the mistakes happen.",
    "On balance, I come down on the cautious side.",
    "I have changed my mind on this more than once, which tells you something about how uncertain it is.",
    "Much of what matters is known only to a very small circle, and that should make everyone humble.",
    "Look at what they do rather than what they say; the two rarely match.",
];

pub(super) const QUESTIONS: &[&str] = &[
    "How would you describe {Ap} approach to {S} right now?",
    "What do outside observers most often get wrong about {P}?",
    "Is the threat overstated?",
    "What did your years in government teach you about this problem?",
    "Where do you see the greatest risk of miscalculation?",
    "What should officials in {C} be doing differently?",
    "How much of this is shaped by {R}?",
    "What would change your assessment?",
    "What are you watching over the next year?",
    "How good is the intelligence picture on {S}?",
    "Are allies on the same page?",
    "What advice would you give someone starting out in this field today?",
    "What is the most common mistake in how this gets covered?",
    "Is there a diplomatic way out?",
];

/// The first sentence of the answer to `QUESTIONS[i]`.
pub(super) const ANSWER_OPENERS: [&str; QUESTIONS.len()] = [
    "Patient, mostly, and more methodical than it looks from the outside.",
    "They assume the situation is frozen, when in fact it shifts a little every month.",
    "In places, yes, but the trend line worries me more than any single incident.",
    "That the paperwork tells you more than the speeches, and that almost nobody reads the paperwork.",
    "In the gaps between agencies and between allies, where everyone assumes someone else is watching.",
    "Spending less time on statements and more on the unglamorous plumbing of cooperation.",
    "More than most people realize, because the same small group of officials is juggling both files.",
    "A sustained change in behavior, not a single gesture or a softer tone.",
    "Budgets and personnel first, then whether anyone follows through on last year's commitments.",
    "Better than it was, but still patchy in exactly the places that matter most.",
    "On the diagnosis, largely. On the prescription, not yet.",
    "Learn a language, spend time in the region and be wary of anyone who sounds certain.",
    "Treating each incident as a surprise, when most of them were visible well in advance.",
    "There usually is one, but it tends to be narrower and to arrive later than people hope.",
];

pub(super) const INTRO_WHO: &[&str] = &[
    "Our guest this week is {RS} who spent {Y} years in {RC}.",
    "Joining us is {RS} who spent {Y} years in {RC}.",
    "We spoke with {RS} who spent {Y} years in {RC}. Our guest now advises governments and companies on risk.",
];

pub(super) const INTRO_TOPIC: &[&str] = &[
    "We talked about {S}, the situation around {P} and the assumptions that deserve a second look.",
    "The discussion ranged from {Ap} {S} to the harder question of what allies should do next.",
    "We asked about {S}, what outsiders misread about {P}, and what comes next.",
    "Our conversation focused on {S} and on how the picture has changed since our guest left government.",
];

pub(super) const HEADINGS: &[&str] = &[
    "What changed",
    "Why it matters",
    "The view from {C}",
    "Reading the signals",
    "What to watch",
    "The historical record",
    "Where this goes next",
    "The policy options",
    "The intelligence picture",
    "Costs and trade-offs",
    "A note of caution",
    "How we got here",
    "The allied angle",
    "What {A} wants",
    "The risk of miscalculation",
    "Beyond {P}",
];

pub(super) const INTERVIEW_HEADINGS: &[&str] = &[
    "On the current moment",
    "On lessons from the field",
    "On what comes next",
    "On allies and partners",
    "On the risk of surprise",
    "On {S}",
];

pub(super) const LIST_INTROS: &[&str] = &[
    "Indicators worth tracking over the coming months:",
    "What planners are watching:",
    "Signs that the situation is shifting would include:",
    "The main variables to follow:",
];

pub(super) const LIST_ITEMS: &[&str] = &[
    "changes in the tempo of {S} around {P}",
    "any shift in how officials in {C} describe the problem in public",
    "new budget lines or procurement notices tied to {T}",
    "senior personnel changes in the relevant commands",
    "whether allies coordinate their messaging or act alone",
    "signs of strain in the supply chains that sustain {S}",
    "unusual diplomatic travel between {C} and the region",
    "any attempt by {A} to formalize arrangements that are currently informal",
    "the first serious test of existing crisis hotlines",
];

pub(super) const CAPTIONS: &[&str] = &[
    "{Ap} {S} have become a central question for planners in {C}.",
    "Developments around {P} are drawing closer scrutiny from allied governments.",
    "An illustration for The Meridian Review's coverage of {T}.",
    "The debate over {S} is reshaping priorities across {T}.",
    "!Officials are still weighing how to respond to {Ap} {S}.",
    "{S} have moved from the margins to the center of the conversation about {P}.",
];

pub(super) const EDIT_NOTE: &str = "The conversation has been edited for length and clarity.";

// Sentence pools tracked by the per-post picker (indices into POOLS).
pub(super) const P_OPENING: usize = 0;
pub(super) const P_CONTEXT: usize = 1;
pub(super) const P_ANALYSIS: usize = 2;
pub(super) const P_EVIDENCE: usize = 3;
pub(super) const P_COUNTER: usize = 4;
pub(super) const P_IMPLICATION: usize = 5;
pub(super) const P_CLOSING: usize = 6;
pub(super) const P_NEWS_LEDE: usize = 7;
pub(super) const P_NEWS_DETAIL: usize = 8;
pub(super) const P_OPINION: usize = 9;
pub(super) const P_ANSWER: usize = 10;
pub(super) const P_QUESTION: usize = 11;
pub(super) const P_HEADING: usize = 12;
pub(super) const P_INTERVIEW_HEADING: usize = 13;
pub(super) const P_LIST_ITEM: usize = 14;

pub(super) const POOLS: [&[&str]; 15] = [
    OPENING,
    CONTEXT,
    ANALYSIS,
    EVIDENCE,
    COUNTER,
    IMPLICATION,
    CLOSING,
    NEWS_LEDE,
    NEWS_DETAIL,
    OPINION_VOICE,
    ANSWER_VOICE,
    QUESTIONS,
    HEADINGS,
    INTERVIEW_HEADINGS,
    LIST_ITEMS,
];

/// Pools that middle paragraphs draw from, per section.
pub(super) const MIX: [&[usize]; 4] = [
    &[P_ANALYSIS, P_EVIDENCE, P_COUNTER, P_IMPLICATION, P_ANSWER],
    &[P_OPINION, P_ANALYSIS, P_COUNTER, P_IMPLICATION, P_CONTEXT],
    &[P_CONTEXT, P_ANALYSIS, P_EVIDENCE, P_COUNTER, P_IMPLICATION],
    &[P_NEWS_DETAIL, P_CONTEXT, P_EVIDENCE, P_ANALYSIS, P_COUNTER],
];

pub(super) const SMALL_WORDS: &[&str] = &[
    "a", "an", "and", "at", "by", "for", "in", "of", "on", "or", "the", "to",
];
