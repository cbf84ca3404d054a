//! The demo newsroom: its sections, topics and authors. Data only; `content` assembles
//! stories from it and from `phrasebook`.

// ---------------------------------------------------------------------------
// Sections, topics, authors
// ---------------------------------------------------------------------------

pub(super) struct Section {
    pub(super) name: &'static str,
    pub(super) slug: &'static str,
    pub(super) description: &'static str,
    /// Word used in synthetic titles ("Bulletin 48213: ...").
    pub(super) label: &'static str,
}

pub(super) const SEC_INTERVIEWS: usize = 0;
pub(super) const SEC_OPINION: usize = 1;
pub(super) const SEC_DEEP: usize = 2;
pub(super) const SEC_NEWS: usize = 3;

pub(super) const SECTIONS: [Section; 4] = [
    Section {
        name: "Expert Interviews",
        slug: "expert-interviews",
        description: "Long conversations with practitioners who have run operations, commanded forces or negotiated the deals.",
        label: "Interview",
    },
    Section {
        name: "Opinion",
        slug: "opinion",
        description: "Argued positions from our contributors, who say what they think and why.",
        label: "Column",
    },
    Section {
        name: "Deep Dive",
        slug: "deep-dive",
        description: "Extended analysis that follows the evidence, the budgets and the history behind a single question.",
        label: "Dispatch",
    },
    Section {
        name: "News",
        slug: "news",
        description: "Short, fast briefs on what happened, why it matters and what to watch next.",
        label: "Bulletin",
    },
];

/// Section tag slugs, in the order of the sections.
pub const SECTION_SLUGS: [&str; SECTIONS.len()] = {
    let mut out = [""; SECTIONS.len()];
    let mut i = 0;
    while i < SECTIONS.len() {
        out[i] = SECTIONS[i].slug;
        i += 1;
    }
    out
};

pub(super) struct Topic {
    pub(super) name: &'static str,
    pub(super) slug: &'static str,
    pub(super) description: &'static str,
    /// How the topic reads inside a sentence ("the Middle East", "cyber operations").
    pub(super) phrase: &'static str,
    /// The topic as a standing concern ("the war in Ukraine"), used for {R}.
    pub(super) focus: &'static str,
    /// Singular actors: (plain, possessive, adversary). Templates starting
    /// with `!` frame the actor as an adversary and are only used for those;
    /// templates starting with `+` are only used for the others.
    pub(super) actors: &'static [(&'static str, &'static str, bool)],
    /// Plural noun phrases, lower case.
    pub(super) subjects: &'static [&'static str],
    pub(super) places: &'static [&'static str],
    /// Indices into TOPICS.
    pub(super) related: &'static [usize],
    /// Indices into ROLES that suit an interview on this topic.
    pub(super) roles: &'static [usize],
}

pub(super) const T_AFGHANISTAN: usize = 0;
pub(super) const T_CHINA: usize = 1;
pub(super) const T_RUSSIA: usize = 2;
pub(super) const T_CT: usize = 3;
pub(super) const T_CYBER: usize = 4;
pub(super) const T_INTEL: usize = 5;
pub(super) const T_MIDEAST: usize = 6;
pub(super) const T_UKRAINE: usize = 7;
pub(super) const T_NK: usize = 8;
pub(super) const T_IRAN: usize = 9;
pub(super) const T_SPACE: usize = 10;
pub(super) const T_TECH: usize = 11;

pub(super) const TOPICS: [Topic; 12] = [
    Topic {
        name: "Afghanistan",
        slug: "afghanistan",
        description: "Security, governance and militant networks in Afghanistan and along its borders.",
        phrase: "Afghanistan",
        focus: "the situation in Afghanistan",
        actors: &[
            ("the Taliban", "the Taliban's", true),
            ("Kabul", "Kabul's", true),
        ],
        subjects: &[
            "border crossings",
            "mining concessions",
            "militant training camps",
            "aid restrictions",
            "cross-border raids",
            "regional security pacts",
        ],
        places: &[
            "the Pakistani frontier",
            "Central Asia",
            "the Wakhan Corridor",
            "Kandahar",
        ],
        related: &[T_CT, T_INTEL, T_IRAN, T_CHINA],
        roles: &[0, 5, 7, 6],
    },
    Topic {
        name: "China",
        slug: "china",
        description: "The People's Republic: military modernization, statecraft and global reach.",
        phrase: "China",
        focus: "competition with China",
        actors: &[("Beijing", "Beijing's", true)],
        subjects: &[
            "maritime militia rules",
            "rare-earth export controls",
            "coast guard patrols",
            "carrier deployments",
            "island-building projects",
            "overseas port deals",
            "amphibious exercises",
        ],
        places: &[
            "Taiwan",
            "the South China Sea",
            "the Philippines",
            "the Taiwan Strait",
            "the Indian Ocean",
        ],
        related: &[T_SPACE, T_TECH, T_CYBER, T_NK],
        roles: &[1, 2, 5, 4],
    },
    Topic {
        name: "Russia",
        slug: "russia",
        description: "The Kremlin's armed forces, intelligence services and pressure campaigns beyond its borders.",
        phrase: "Russia",
        focus: "the confrontation with Russia",
        actors: &[
            ("Moscow", "Moscow's", true),
            ("the Kremlin", "the Kremlin's", true),
        ],
        subjects: &[
            "shadow-fleet tankers",
            "Arctic bases",
            "sabotage operations",
            "mobilization orders",
            "nuclear exercises",
            "disinformation campaigns",
            "private military units",
        ],
        places: &[
            "the Baltic",
            "the Black Sea",
            "Belarus",
            "the Arctic",
            "Moldova",
        ],
        related: &[T_UKRAINE, T_CYBER, T_INTEL, T_NK, T_SPACE],
        roles: &[0, 2, 5, 6],
    },
    Topic {
        name: "Counterterrorism",
        slug: "counterterrorism",
        description: "Militant movements, the campaigns against them and the policies that shape both.",
        phrase: "counterterrorism",
        focus: "the fight against militant groups",
        actors: &[
            ("Washington", "Washington's", false),
            ("the Pentagon", "the Pentagon's", false),
            ("the coalition", "the coalition's", false),
        ],
        subjects: &[
            "drone strikes",
            "special operations raids",
            "surveillance flights",
            "detention camps",
            "partner-force programs",
            "deradicalization programs",
        ],
        places: &[
            "the Sahel",
            "Somalia",
            "northeast Syria",
            "the Lake Chad basin",
            "Mozambique",
        ],
        related: &[T_AFGHANISTAN, T_MIDEAST, T_INTEL, T_TECH],
        roles: &[7, 0, 3],
    },
    Topic {
        name: "Cyber",
        slug: "cyber",
        description: "State hacking, criminal ransomware and the defense of critical networks.",
        phrase: "cyber operations",
        focus: "the cyber threat",
        actors: &[("Beijing", "Beijing's", true), ("Moscow", "Moscow's", true)],
        subjects: &[
            "power-grid intrusions",
            "ransomware attacks",
            "zero-day stockpiles",
            "undersea cable cuts",
            "espionage campaigns",
            "supply-chain compromises",
            "hack-and-leak operations",
        ],
        places: &[
            "Europe",
            "the Pacific",
            "Taiwan",
            "the Gulf",
            "the Baltic states",
        ],
        related: &[T_INTEL, T_TECH, T_CHINA, T_RUSSIA],
        roles: &[4, 2, 3],
    },
    Topic {
        name: "Intelligence",
        slug: "intelligence",
        description: "How spy services collect, analyze and sometimes misjudge the world.",
        phrase: "intelligence",
        focus: "the state of intelligence collection",
        actors: &[
            ("Washington", "Washington's", false),
            (
                "the intelligence community",
                "the intelligence community's",
                false,
            ),
            ("London", "London's", false),
        ],
        subjects: &[
            "human sources",
            "surveillance authorities",
            "open-source intelligence units",
            "counterintelligence sweeps",
            "warning systems",
            "liaison relationships",
        ],
        places: &[
            "Europe",
            "the Middle East",
            "East Asia",
            "Central Asia",
            "Latin America",
        ],
        related: &[T_RUSSIA, T_CHINA, T_CYBER, T_CT],
        roles: &[0, 2],
    },
    Topic {
        name: "Middle East",
        slug: "middle-east",
        description: "Conflict, diplomacy and shifting alignments from the Levant to the Gulf.",
        phrase: "the Middle East",
        focus: "instability in the Middle East",
        actors: &[
            ("Riyadh", "Riyadh's", false),
            ("Israel", "Israel's", false),
            ("Ankara", "Ankara's", false),
            ("Abu Dhabi", "Abu Dhabi's", false),
        ],
        subjects: &[
            "normalization talks",
            "air-defense networks",
            "Red Sea naval patrols",
            "intelligence-sharing pacts",
            "port investments",
            "arms purchases",
            "border deployments",
        ],
        places: &["the Red Sea", "Lebanon", "Syria", "Iraq", "the Gulf"],
        related: &[T_IRAN, T_CT, T_INTEL],
        roles: &[5, 7, 1, 3],
    },
    Topic {
        name: "Ukraine",
        slug: "ukraine",
        description: "The war in Ukraine: the front lines, the weapons and the politics of support.",
        phrase: "Ukraine",
        focus: "the war in Ukraine",
        actors: &[("Kyiv", "Kyiv's", false)],
        subjects: &[
            "long-range drone strikes",
            "air-defense interceptors",
            "grain corridors",
            "artillery shortages",
            "reconstruction loans",
            "naval drone raids",
            "fortification lines",
        ],
        places: &["Kharkiv", "the Donbas", "Crimea", "Odesa", "Zaporizhzhia"],
        related: &[T_RUSSIA, T_TECH, T_INTEL, T_CYBER],
        roles: &[6, 5, 2],
    },
    Topic {
        name: "North Korea",
        slug: "north-korea",
        description: "Pyongyang's weapons programs, illicit finance and foreign partnerships.",
        phrase: "North Korea",
        focus: "the North Korean nuclear problem",
        actors: &[("Pyongyang", "Pyongyang's", true)],
        subjects: &[
            "missile tests",
            "cryptocurrency heists",
            "munitions shipments",
            "reconnaissance satellites",
            "submarine programs",
            "sanctions-evasion networks",
        ],
        places: &[
            "the Korean Peninsula",
            "Seoul",
            "Japan",
            "the Yellow Sea",
            "northeast Asia",
        ],
        related: &[T_CHINA, T_RUSSIA, T_CYBER, T_SPACE],
        roles: &[9, 3, 2, 1],
    },
    Topic {
        name: "Iran",
        slug: "iran",
        description: "Tehran's nuclear ambitions, regional proxies and pressure campaigns.",
        phrase: "Iran",
        focus: "the standoff with Iran",
        actors: &[("Tehran", "Tehran's", true)],
        subjects: &[
            "enrichment cascades",
            "drone exports",
            "proxy militias",
            "oil smuggling routes",
            "ballistic missile transfers",
            "tanker seizures",
        ],
        places: &[
            "the Strait of Hormuz",
            "Yemen",
            "Iraq",
            "the Gulf of Oman",
            "Lebanon",
        ],
        related: &[T_MIDEAST, T_CT, T_RUSSIA, T_CYBER],
        roles: &[9, 3, 5, 1],
    },
    Topic {
        name: "Space",
        slug: "space",
        description: "Satellites, launch and the contest for advantage in orbit.",
        phrase: "space security",
        focus: "the contest in orbit",
        actors: &[("Beijing", "Beijing's", true), ("Moscow", "Moscow's", true)],
        subjects: &[
            "anti-satellite weapons",
            "satellite constellations",
            "counterspace programs",
            "launch schedules",
            "orbital inspection missions",
            "jamming campaigns",
        ],
        places: &[
            "low Earth orbit",
            "geostationary orbit",
            "cislunar space",
            "the Arctic",
        ],
        related: &[T_CHINA, T_RUSSIA, T_TECH, T_NK],
        roles: &[8, 2, 4],
    },
    Topic {
        name: "Technology",
        slug: "technology",
        description: "Emerging technology and what it does to military power, intelligence and industry.",
        phrase: "emerging technology",
        focus: "the race for new military technology",
        actors: &[
            ("Washington", "Washington's", false),
            ("Beijing", "Beijing's", true),
        ],
        subjects: &[
            "AI targeting tools",
            "chip export controls",
            "autonomous drones",
            "quantum sensors",
            "hypersonic test programs",
            "battlefield networks",
        ],
        places: &["Europe", "Taiwan", "the Indo-Pacific", "Ukraine"],
        related: &[T_CHINA, T_CYBER, T_SPACE, T_UKRAINE],
        roles: &[4, 8, 2],
    },
];

/// Topic tag slugs, in a fixed order.
pub const TOPIC_SLUGS: [&str; TOPICS.len()] = {
    let mut out = [""; TOPICS.len()];
    let mut i = 0;
    while i < TOPICS.len() {
        out[i] = TOPICS[i].slug;
        i += 1;
    }
    out
};

pub(super) struct Author {
    pub(super) name: &'static str,
    pub(super) slug: &'static str,
    pub(super) bio: &'static str,
    pub(super) credentials: &'static str,
    pub(super) website: Option<&'static str>,
    /// Indices into TOPICS this contributor writes about.
    pub(super) topics: &'static [usize],
}

/// Index of the newsroom byline in AUTHORS.
pub(super) const STAFF: usize = 10;

pub(super) const AUTHORS: [Author; 11] = [
    Author {
        name: "Halden Marsh-Okafor",
        slug: "halden-marsh-okafor",
        bio: "Halden Marsh-Okafor spent twenty-two years as an operations officer, ending his career as chief of station in Central Asia. He now advises companies on political risk and writes about intelligence, Afghanistan and the region's shifting alliances.",
        credentials: "Former Chief of Station, Central Asia",
        website: Some("https://example.com/marsh-okafor"),
        topics: &[T_AFGHANISTAN, T_INTEL, T_CT, T_RUSSIA],
    },
    Author {
        name: "Corinne Vasquez-Thale",
        slug: "corinne-vasquez-thale",
        bio: "Corinne Vasquez-Thale commanded a destroyer squadron and later ran maritime planning for a Pacific fleet staff. Since retiring she has taught strategy to mid-career officers. She writes about naval power, China and the security of sea lanes.",
        credentials: "Retired Rear Admiral, U.S. Navy",
        website: None,
        topics: &[T_CHINA, T_NK, T_MIDEAST, T_IRAN],
    },
    Author {
        name: "Priya Venkataraman-Lowe",
        slug: "priya-venkataraman-lowe",
        bio: "Priya Venkataraman-Lowe studies state-sponsored hacking and the defense of critical infrastructure. She previously led incident response for a regional utility and sat on a federal advisory panel on network security.",
        credentials: "Senior Fellow, cyber policy",
        website: Some("https://example.com/venkataraman-lowe"),
        topics: &[T_CYBER, T_TECH, T_INTEL, T_CHINA],
    },
    Author {
        name: "Tobias Quennell",
        slug: "tobias-quennell",
        bio: "Tobias Quennell worked on counterterrorism policy for three administrations, most recently as a director on the National Security Council staff. He writes about militant movements in Africa and the Middle East and about the legal architecture of long wars.",
        credentials: "Former Director for Counterterrorism, National Security Council staff",
        website: None,
        topics: &[T_CT, T_MIDEAST, T_AFGHANISTAN, T_INTEL],
    },
    Author {
        name: "Ilse Varnhagen-Ruiz",
        slug: "ilse-varnhagen-ruiz",
        bio: "Ilse Varnhagen-Ruiz served as a defense attaché in Kyiv and, before that, in two Baltic capitals. She covers the war in Ukraine, Russian military reform and the European defense industry.",
        credentials: "Former Defense Attaché, Kyiv",
        website: Some("https://example.com/varnhagen-ruiz"),
        topics: &[T_UKRAINE, T_RUSSIA, T_TECH],
    },
    Author {
        name: "Desmond Achterberg",
        slug: "desmond-achterberg",
        bio: "Desmond Achterberg spent twenty-six years in the Army, including tours as a brigade planner and on a combatant command staff. He writes about land warfare, logistics and how militaries learn from their mistakes.",
        credentials: "Retired Colonel, U.S. Army; former war planner",
        website: None,
        topics: &[T_UKRAINE, T_RUSSIA, T_MIDEAST, T_NK],
    },
    Author {
        name: "Nadia Farrokhzad-Bell",
        slug: "nadia-farrokhzad-bell",
        bio: "Nadia Farrokhzad-Bell has followed Iranian politics and the Gulf security order for more than fifteen years, first as a government analyst and later at a research institute. Her work focuses on proxy networks, sanctions and the nuclear file.",
        credentials: "Senior Analyst, Iran and the Gulf",
        website: None,
        topics: &[T_IRAN, T_MIDEAST, T_CT],
    },
    Author {
        name: "Sun-Hee Maldonado",
        slug: "sun-hee-maldonado",
        bio: "Sun-Hee Maldonado directs a Korea research program and previously analyzed northeast Asian security for the State Department. She writes on Pyongyang's weapons programs, sanctions evasion and alliance politics in Seoul and Tokyo.",
        credentials: "Korea Program Director; former State Department analyst",
        website: Some("https://example.com/maldonado"),
        topics: &[T_NK, T_CHINA, T_CYBER],
    },
    Author {
        name: "Ambrose Lindqvist-Tan",
        slug: "ambrose-lindqvist-tan",
        bio: "Ambrose Lindqvist-Tan tracked satellites as an Air Force orbital analyst before moving into research on space security and arms control. He writes about counterspace weapons, commercial constellations and the rules of the road in orbit.",
        credentials: "Space security researcher; former Air Force orbital analyst",
        website: None,
        topics: &[T_SPACE, T_TECH, T_CHINA, T_RUSSIA],
    },
    Author {
        name: "Marguerite Osei-Brandt",
        slug: "marguerite-osei-brandt",
        bio: "Marguerite Osei-Brandt spent two decades as an analyst and manager in the intelligence community, including a stint drafting national estimates on Europe and Eurasia. She writes about analytic tradecraft, strategic warning and the politics of intelligence.",
        credentials: "Former Deputy National Intelligence Officer for Europe",
        website: None,
        topics: &[T_INTEL, T_RUSSIA, T_UKRAINE, T_CYBER],
    },
    Author {
        name: "Meridian Staff",
        slug: "meridian-staff",
        bio: "Reporting and analysis from the editorial team of The Meridian Review. Staff pieces draw on our contributors' expertise and are edited in-house.",
        credentials: "The Meridian Review newsroom",
        website: None,
        topics: &[],
    },
];

/// Author slugs, in a fixed order (the last one is the newsroom byline).
pub const AUTHOR_SLUGS: [&str; AUTHORS.len()] = {
    let mut out = [""; AUTHORS.len()];
    let mut i = 0;
    while i < AUTHORS.len() {
        out[i] = AUTHORS[i].slug;
        i += 1;
    }
    out
};
