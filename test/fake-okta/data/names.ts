/** Word lists for the generator: names (including non-ASCII ones), departments, places and companies. */

export const FIRST_NAMES: readonly string[] = [
  "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth",
  "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Charles", "Karen",
  "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty", "Anthony", "Margaret", "Mark", "Sandra",
  "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily", "Andrew", "Donna", "Joshua", "Michelle",
  "Kenneth", "Carol", "Kevin", "Amanda", "Brian", "Melissa", "George", "Deborah", "Timothy", "Stephanie",
  "Ronald", "Rebecca", "Jason", "Laura", "Edward", "Sharon", "Jeffrey", "Cynthia", "Ryan", "Kathleen",
  "Jacob", "Amy", "Gary", "Angela", "Nicholas", "Shirley", "Eric", "Anna", "Jonathan", "Brenda",
  "Stephen", "Pamela", "Larry", "Emma", "Justin", "Nicole", "Scott", "Helen", "Brandon", "Samantha",
  "Priya", "Wei", "Aisha", "Carlos", "Fatima", "Hiroshi", "Olga", "Kwame", "Ingrid", "Mateo",
  "Nadia", "Raj", "Yuki", "Omar", "Lucia", "Sven", "Amara", "Diego", "Mei", "Tariq",
];

export const LAST_NAMES: readonly string[] = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
  "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
  "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
  "Walker", "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores",
  "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
  "Patel", "Chen", "Khan", "Okafor", "Kowalski", "Schmidt", "Rossi", "Larsen", "Ivanova", "Tanaka",
  "Singh", "Kim", "Park", "Nakamura", "Haddad", "Mensah", "Novak", "Fischer", "Silva", "Costa",
  "O'Brien", "McAllister", "van der Berg", "De Luca", "Al-Sayed", "St. John", "Fitzgerald", "Oyelaran", "Lindqvist", "Moreau",
];

/** Names that are not ASCII, each with the ASCII form a login would use. */
export const UNICODE_NAMES: readonly { first: string; last: string; firstAscii: string; lastAscii: string; locale: string }[] = [
  { first: "José", last: "Núñez", firstAscii: "jose", lastAscii: "nunez", locale: "es_ES" },
  { first: "Zoë", last: "Brontë", firstAscii: "zoe", lastAscii: "bronte", locale: "en_GB" },
  { first: "Łukasz", last: "Wójcik", firstAscii: "lukasz", lastAscii: "wojcik", locale: "pl_PL" },
  { first: "Søren", last: "Kierkegård", firstAscii: "soren", lastAscii: "kierkegard", locale: "da_DK" },
  { first: "Björk", last: "Guðmundsdóttir", firstAscii: "bjork", lastAscii: "gudmundsdottir", locale: "is_IS" },
  { first: "François", last: "Lefèvre", firstAscii: "francois", lastAscii: "lefevre", locale: "fr_FR" },
  { first: "Jürgen", last: "Müller", firstAscii: "jurgen", lastAscii: "muller", locale: "de_DE" },
  { first: "Çağla", last: "Yılmaz", firstAscii: "cagla", lastAscii: "yilmaz", locale: "tr_TR" },
  { first: "Nguyễn", last: "Thị Hương", firstAscii: "nguyen", lastAscii: "thihuong", locale: "vi_VN" },
  { first: "Дмитрий", last: "Иванов", firstAscii: "dmitry", lastAscii: "ivanov", locale: "ru_RU" },
  { first: "Ольга", last: "Петрова", firstAscii: "olga", lastAscii: "petrova", locale: "ru_RU" },
  { first: "太郎", last: "山田", firstAscii: "taro", lastAscii: "yamada", locale: "ja_JP" },
  { first: "美咲", last: "佐藤", firstAscii: "misaki", lastAscii: "sato", locale: "ja_JP" },
  { first: "伟", last: "王", firstAscii: "wei", lastAscii: "wang", locale: "zh_CN" },
  { first: "민준", last: "김", firstAscii: "minjun", lastAscii: "kim", locale: "ko_KR" },
  { first: "محمد", last: "العلي", firstAscii: "mohammed", lastAscii: "alali", locale: "ar_SA" },
  { first: "Αλέξανδρος", last: "Παπαδόπουλος", firstAscii: "alexandros", lastAscii: "papadopoulos", locale: "el_GR" },
  { first: "אברהם", last: "כהן", firstAscii: "avraham", lastAscii: "cohen", locale: "he_IL" },
  { first: "प्रिया", last: "शर्मा", firstAscii: "priya", lastAscii: "sharma", locale: "hi_IN" },
  { first: "Siân", last: "Llŵyd", firstAscii: "sian", lastAscii: "llwyd", locale: "cy_GB" },
  { first: "Ana-María", last: "Peña", firstAscii: "anamaria", lastAscii: "pena", locale: "es_MX" },
  { first: "Åsa", last: "Ångström", firstAscii: "asa", lastAscii: "angstrom", locale: "sv_SE" },
];

/** Departments with the titles people in them hold. */
export const DEPARTMENTS: readonly { name: string; division: string; costCenter: string; titles: readonly string[] }[] = [
  { name: "Engineering", division: "Product", costCenter: "CC-1100", titles: ["Software Engineer", "Senior Software Engineer", "Staff Engineer", "Engineering Manager", "SRE"] },
  { name: "Product", division: "Product", costCenter: "CC-1200", titles: ["Product Manager", "Senior Product Manager", "Product Designer"] },
  { name: "Sales", division: "Go-To-Market", costCenter: "CC-2100", titles: ["Account Executive", "Sales Engineer", "Sales Director", "SDR"] },
  { name: "Marketing", division: "Go-To-Market", costCenter: "CC-2200", titles: ["Marketing Manager", "Content Strategist", "Growth Analyst"] },
  { name: "Customer Success", division: "Go-To-Market", costCenter: "CC-2300", titles: ["Customer Success Manager", "Support Engineer", "Support Lead"] },
  { name: "Finance", division: "G&A", costCenter: "CC-3100", titles: ["Accountant", "Financial Analyst", "Controller"] },
  { name: "People", division: "G&A", costCenter: "CC-3200", titles: ["HR Business Partner", "Recruiter", "People Operations Lead"] },
  { name: "IT", division: "G&A", costCenter: "CC-3300", titles: ["IT Administrator", "Identity Engineer", "Help Desk Technician"] },
  { name: "Security", division: "G&A", costCenter: "CC-3400", titles: ["Security Engineer", "Security Analyst", "CISO"] },
  { name: "Legal", division: "G&A", costCenter: "CC-3500", titles: ["Counsel", "Paralegal", "Compliance Manager"] },
];

export const CITIES: readonly { city: string; state?: string; countryCode: string; timezone: string; language: string }[] = [
  { city: "San Francisco", state: "CA", countryCode: "US", timezone: "America/Los_Angeles", language: "en" },
  { city: "New York", state: "NY", countryCode: "US", timezone: "America/New_York", language: "en" },
  { city: "Austin", state: "TX", countryCode: "US", timezone: "America/Chicago", language: "en" },
  { city: "Toronto", state: "ON", countryCode: "CA", timezone: "America/Toronto", language: "en" },
  { city: "London", countryCode: "GB", timezone: "Europe/London", language: "en" },
  { city: "Berlin", countryCode: "DE", timezone: "Europe/Berlin", language: "de" },
  { city: "Paris", countryCode: "FR", timezone: "Europe/Paris", language: "fr" },
  { city: "Warsaw", countryCode: "PL", timezone: "Europe/Warsaw", language: "pl" },
  { city: "Tokyo", countryCode: "JP", timezone: "Asia/Tokyo", language: "ja" },
  { city: "Bengaluru", countryCode: "IN", timezone: "Asia/Kolkata", language: "en" },
  { city: "São Paulo", countryCode: "BR", timezone: "America/Sao_Paulo", language: "pt" },
  { city: "Sydney", state: "NSW", countryCode: "AU", timezone: "Australia/Sydney", language: "en" },
];

/** Org names; the domain is derived from the slug under the reserved `.example` TLD. */
export const COMPANIES: readonly { name: string; slug: string }[] = [
  { name: "Acme Corporation", slug: "acme" },
  { name: "Globex", slug: "globex" },
  { name: "Initech", slug: "initech" },
  { name: "Umbrella Labs", slug: "umbrella" },
  { name: "Stark Industries", slug: "stark" },
  { name: "Wayne Enterprises", slug: "wayne" },
  { name: "Hooli", slug: "hooli" },
  { name: "Vandelay Industries", slug: "vandelay" },
];

/** Small teams and projects, the names of most OKTA_GROUPs. */
export const TEAM_WORDS: readonly string[] = [
  "Platform", "Payments", "Identity", "Data", "Mobile", "Web", "Infra", "Growth", "Search", "Billing",
  "Onboarding", "Analytics", "Compliance", "Reliability", "Frontend", "Backend", "ML", "Partnerships", "EMEA", "APAC",
];

export const SKILLS: readonly string[] = ["go", "typescript", "python", "sql", "kubernetes", "terraform", "figma", "salesforce", "excel", "okta"];
