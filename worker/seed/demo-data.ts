/** Demo districts: fictional, shaped like real Missouri districts (4-digit building codes, PK–12 grade spans). */
export interface DemoSchool {
  code: string;
  name: string;
  level: "early_childhood" | "elementary" | "middle" | "high" | "k12" | "alternative";
  lowGrade: number;
  highGrade: number;
  principal: string;
  address: string;
  city: string;
  phone: string;
  openedOn: string;
  status?: "open" | "closed";
  closedOn?: string;
}

export interface DemoDistrict {
  slug: string;
  name: string;
  schools: DemoSchool[];
}

export const demoDistricts: DemoDistrict[] = [
  {
    slug: "riverton",
    name: "Riverton R-IV School District",
    schools: [
      {
        code: "1050",
        name: "Riverton Early Childhood Center",
        level: "early_childhood",
        lowGrade: -1,
        highGrade: 0,
        principal: "Dana Whitfield",
        address: "410 Elm St",
        city: "Riverton",
        phone: "(573) 555-0140",
        openedOn: "1998-08-17",
      },
      {
        code: "2010",
        name: "Bluff View Elementary",
        level: "elementary",
        lowGrade: 0,
        highGrade: 5,
        principal: "Marcus Hale",
        address: "1200 Bluff Rd",
        city: "Riverton",
        phone: "(573) 555-0112",
        openedOn: "1974-08-26",
      },
      {
        code: "2020",
        name: "Cedar Ridge Elementary",
        level: "elementary",
        lowGrade: 0,
        highGrade: 5,
        principal: "Priya Natarajan",
        address: "88 Cedar Ridge Dr",
        city: "Riverton",
        phone: "(573) 555-0117",
        openedOn: "1989-08-21",
      },
      {
        code: "2030",
        name: "Mill Creek Elementary",
        level: "elementary",
        lowGrade: 0,
        highGrade: 5,
        principal: "Tom Eckert",
        address: "5 Mill Creek Ln",
        city: "Hollister Springs",
        phone: "(573) 555-0163",
        openedOn: "2004-08-16",
      },
      {
        code: "2040",
        name: "Lincoln Elementary",
        level: "elementary",
        lowGrade: 0,
        highGrade: 5,
        principal: "—",
        address: "301 Lincoln Ave",
        city: "Riverton",
        phone: "(573) 555-0109",
        openedOn: "1951-09-04",
        status: "closed",
        closedOn: "2019-05-24",
      },
      {
        code: "3010",
        name: "Riverton Middle School",
        level: "middle",
        lowGrade: 6,
        highGrade: 8,
        principal: "Angela Brooks",
        address: "700 School St",
        city: "Riverton",
        phone: "(573) 555-0125",
        openedOn: "1968-08-27",
      },
      {
        code: "4010",
        name: "Riverton High School",
        level: "high",
        lowGrade: 9,
        highGrade: 12,
        principal: "Robert Kimani",
        address: "1 Wildcat Way",
        city: "Riverton",
        phone: "(573) 555-0100",
        openedOn: "1962-08-28",
      },
      {
        code: "4090",
        name: "Riverton Success Academy",
        level: "alternative",
        lowGrade: 9,
        highGrade: 12,
        principal: "Lena Ortiz",
        address: "22 Depot St",
        city: "Riverton",
        phone: "(573) 555-0188",
        openedOn: "2012-08-20",
      },
    ],
  },
  {
    slug: "cedar-valley",
    name: "Cedar Valley R-II School District",
    schools: [
      {
        code: "1010",
        name: "Cedar Valley Elementary",
        level: "elementary",
        lowGrade: -1,
        highGrade: 4,
        principal: "Grace Holloway",
        address: "15 Valley Rd",
        city: "Cedar Valley",
        phone: "(417) 555-0131",
        openedOn: "1983-08-22",
      },
      {
        code: "1020",
        name: "Prairie Point Elementary",
        level: "elementary",
        lowGrade: 0,
        highGrade: 4,
        principal: "Samuel Ybarra",
        address: "940 Prairie Point Rd",
        city: "Westfork",
        phone: "(417) 555-0176",
        openedOn: "2009-08-17",
      },
      {
        code: "2050",
        name: "Cedar Valley Intermediate",
        level: "middle",
        lowGrade: 5,
        highGrade: 8,
        principal: "Heather Lund",
        address: "17 Valley Rd",
        city: "Cedar Valley",
        phone: "(417) 555-0133",
        openedOn: "1999-08-23",
      },
      {
        code: "1050",
        name: "Cedar Valley High School",
        level: "high",
        lowGrade: 9,
        highGrade: 12,
        principal: "James Okafor",
        address: "300 Panther Dr",
        city: "Cedar Valley",
        phone: "(417) 555-0150",
        openedOn: "1971-08-30",
      },
      {
        code: "1090",
        name: "Westfork Rural School",
        level: "k12",
        lowGrade: 0,
        highGrade: 12,
        principal: "Ruth Ann Miller",
        address: "Rt 2 Box 18",
        city: "Westfork",
        phone: "(417) 555-0191",
        openedOn: "1936-09-08",
      },
    ],
  },
];

/** The root scope: its owners and administrators administer every organization (a service desk, an agency). */
export const demoRoot = { slug: "global", name: "Global" };

export interface DemoUser {
  email: string;
  name: string;
  memberships: { slug: string; role: "owner" | "admin" | "member" | "viewer" }[];
}

export const demoUsers: DemoUser[] = [
  {
    email: "director@riverton.example.org",
    name: "Jordan Avery",
    memberships: [
      { slug: "riverton", role: "owner" },
      { slug: "cedar-valley", role: "admin" },
    ],
  },
  {
    email: "tech@riverton.example.org",
    name: "Sam Delgado",
    memberships: [{ slug: "riverton", role: "member" }],
  },
  {
    email: "admin@cedarvalley.example.org",
    name: "Morgan Lee",
    memberships: [{ slug: "cedar-valley", role: "owner" }],
  },
  {
    // Works the shared service desk: an administrator of the Global organization, so of every district.
    email: "desk@global.example.org",
    name: "Riley Chen",
    memberships: [{ slug: "global", role: "admin" }],
  },
];
