//! Venues of the benchmark network (`seed --bench`): for each of the 100
//! benchmark countries, real cities with their IANA time zone (countries
//! that span several zones name the city's). Fictional data is built on
//! them (the trainings' sessions); the cities and zones are real.

/// A city and its IANA time zone.
pub type Venue = (&'static str, &'static str);

/// The cities of each benchmark country, the capital (or largest city) first.
const VENUES: [(&str, &[Venue]); 100] = [
    ("IN", &[("New Delhi", "Asia/Kolkata"), ("Mumbai", "Asia/Kolkata"), ("Bengaluru", "Asia/Kolkata")]),
    ("BR", &[("São Paulo", "America/Sao_Paulo"), ("Recife", "America/Recife"), ("Manaus", "America/Manaus")]),
    ("NG", &[("Lagos", "Africa/Lagos"), ("Abuja", "Africa/Lagos"), ("Kano", "Africa/Lagos")]),
    ("KE", &[("Nairobi", "Africa/Nairobi"), ("Mombasa", "Africa/Nairobi"), ("Kisumu", "Africa/Nairobi")]),
    ("PH", &[("Manila", "Asia/Manila"), ("Cebu", "Asia/Manila"), ("Davao", "Asia/Manila")]),
    ("MX", &[("Mexico City", "America/Mexico_City"), ("Monterrey", "America/Monterrey"), ("Tijuana", "America/Tijuana")]),
    ("ID", &[("Jakarta", "Asia/Jakarta"), ("Makassar", "Asia/Makassar"), ("Jayapura", "Asia/Jayapura")]),
    ("ZA", &[("Johannesburg", "Africa/Johannesburg"), ("Cape Town", "Africa/Johannesburg"), ("Durban", "Africa/Johannesburg")]),
    ("CO", &[("Bogotá", "America/Bogota"), ("Medellín", "America/Bogota"), ("Cali", "America/Bogota")]),
    ("BD", &[("Dhaka", "Asia/Dhaka"), ("Chattogram", "Asia/Dhaka")]),
    ("PK", &[("Karachi", "Asia/Karachi"), ("Lahore", "Asia/Karachi"), ("Islamabad", "Asia/Karachi")]),
    ("UG", &[("Kampala", "Africa/Kampala"), ("Gulu", "Africa/Kampala")]),
    ("GH", &[("Accra", "Africa/Accra"), ("Kumasi", "Africa/Accra")]),
    ("PE", &[("Lima", "America/Lima"), ("Cusco", "America/Lima")]),
    ("TZ", &[("Dar es Salaam", "Africa/Dar_es_Salaam"), ("Arusha", "Africa/Dar_es_Salaam")]),
    ("EG", &[("Cairo", "Africa/Cairo"), ("Alexandria", "Africa/Cairo")]),
    ("ET", &[("Addis Ababa", "Africa/Addis_Ababa"), ("Bahir Dar", "Africa/Addis_Ababa")]),
    ("AR", &[("Buenos Aires", "America/Argentina/Buenos_Aires"), ("Córdoba", "America/Argentina/Cordoba")]),
    ("VN", &[("Hanoi", "Asia/Ho_Chi_Minh"), ("Ho Chi Minh City", "Asia/Ho_Chi_Minh")]),
    ("UA", &[("Kyiv", "Europe/Kyiv"), ("Lviv", "Europe/Kyiv")]),
    ("RW", &[("Kigali", "Africa/Kigali")]),
    ("BI", &[("Bujumbura", "Africa/Bujumbura"), ("Gitega", "Africa/Bujumbura")]),
    ("SN", &[("Dakar", "Africa/Dakar"), ("Saint-Louis", "Africa/Dakar")]),
    ("GM", &[("Banjul", "Africa/Banjul"), ("Serekunda", "Africa/Banjul")]),
    ("CI", &[("Abidjan", "Africa/Abidjan"), ("Bouaké", "Africa/Abidjan")]),
    ("BF", &[("Ouagadougou", "Africa/Ouagadougou"), ("Bobo-Dioulasso", "Africa/Ouagadougou")]),
    ("CM", &[("Yaoundé", "Africa/Douala"), ("Douala", "Africa/Douala")]),
    ("GA", &[("Libreville", "Africa/Libreville")]),
    ("ML", &[("Bamako", "Africa/Bamako")]),
    ("NE", &[("Niamey", "Africa/Niamey")]),
    ("BJ", &[("Cotonou", "Africa/Porto-Novo"), ("Porto-Novo", "Africa/Porto-Novo")]),
    ("TG", &[("Lomé", "Africa/Lome")]),
    ("ZM", &[("Lusaka", "Africa/Lusaka"), ("Ndola", "Africa/Lusaka")]),
    ("MW", &[("Lilongwe", "Africa/Blantyre"), ("Blantyre", "Africa/Blantyre")]),
    ("ZW", &[("Harare", "Africa/Harare"), ("Bulawayo", "Africa/Harare")]),
    ("MZ", &[("Maputo", "Africa/Maputo"), ("Beira", "Africa/Maputo")]),
    ("NA", &[("Windhoek", "Africa/Windhoek")]),
    ("BW", &[("Gaborone", "Africa/Gaborone")]),
    ("CD", &[("Kinshasa", "Africa/Kinshasa"), ("Goma", "Africa/Lubumbashi"), ("Lubumbashi", "Africa/Lubumbashi")]),
    ("CG", &[("Brazzaville", "Africa/Brazzaville"), ("Pointe-Noire", "Africa/Brazzaville")]),
    ("MA", &[("Rabat", "Africa/Casablanca"), ("Casablanca", "Africa/Casablanca")]),
    ("TN", &[("Tunis", "Africa/Tunis"), ("Sfax", "Africa/Tunis")]),
    ("LR", &[("Monrovia", "Africa/Monrovia")]),
    ("SL", &[("Freetown", "Africa/Freetown")]),
    ("MG", &[("Antananarivo", "Indian/Antananarivo")]),
    ("MU", &[("Port Louis", "Indian/Mauritius")]),
    ("SO", &[("Mogadishu", "Africa/Mogadishu"), ("Hargeisa", "Africa/Mogadishu")]),
    ("DJ", &[("Djibouti", "Africa/Djibouti")]),
    ("EC", &[("Quito", "America/Guayaquil"), ("Guayaquil", "America/Guayaquil")]),
    ("BO", &[("La Paz", "America/La_Paz"), ("Santa Cruz de la Sierra", "America/La_Paz")]),
    ("CL", &[("Santiago", "America/Santiago"), ("Valparaíso", "America/Santiago")]),
    ("UY", &[("Montevideo", "America/Montevideo")]),
    ("GT", &[("Guatemala City", "America/Guatemala"), ("Quetzaltenango", "America/Guatemala")]),
    ("HN", &[("Tegucigalpa", "America/Tegucigalpa"), ("San Pedro Sula", "America/Tegucigalpa")]),
    ("SV", &[("San Salvador", "America/El_Salvador")]),
    ("NI", &[("Managua", "America/Managua"), ("León", "America/Managua")]),
    ("CR", &[("San José", "America/Costa_Rica")]),
    ("PA", &[("Panama City", "America/Panama")]),
    ("DO", &[("Santo Domingo", "America/Santo_Domingo"), ("Santiago de los Caballeros", "America/Santo_Domingo")]),
    ("HT", &[("Port-au-Prince", "America/Port-au-Prince"), ("Cap-Haïtien", "America/Port-au-Prince")]),
    ("JM", &[("Kingston", "America/Jamaica"), ("Montego Bay", "America/Jamaica")]),
    ("TT", &[("Port of Spain", "America/Port_of_Spain")]),
    ("PY", &[("Asunción", "America/Asuncion"), ("Ciudad del Este", "America/Asuncion")]),
    ("VE", &[("Caracas", "America/Caracas"), ("Maracaibo", "America/Caracas")]),
    ("NP", &[("Kathmandu", "Asia/Kathmandu"), ("Pokhara", "Asia/Kathmandu")]),
    ("BT", &[("Thimphu", "Asia/Thimphu")]),
    ("LK", &[("Colombo", "Asia/Colombo"), ("Kandy", "Asia/Colombo")]),
    ("MV", &[("Malé", "Indian/Maldives")]),
    ("MM", &[("Yangon", "Asia/Yangon"), ("Mandalay", "Asia/Yangon")]),
    ("TH", &[("Bangkok", "Asia/Bangkok"), ("Chiang Mai", "Asia/Bangkok")]),
    ("KH", &[("Phnom Penh", "Asia/Phnom_Penh"), ("Siem Reap", "Asia/Phnom_Penh")]),
    ("LA", &[("Vientiane", "Asia/Vientiane")]),
    ("MY", &[("Kuala Lumpur", "Asia/Kuala_Lumpur"), ("Kuching", "Asia/Kuching")]),
    ("SG", &[("Singapore", "Asia/Singapore")]),
    ("MN", &[("Ulaanbaatar", "Asia/Ulaanbaatar"), ("Khovd", "Asia/Hovd")]),
    ("KG", &[("Bishkek", "Asia/Bishkek"), ("Osh", "Asia/Bishkek")]),
    ("KZ", &[("Almaty", "Asia/Almaty"), ("Astana", "Asia/Almaty"), ("Aktobe", "Asia/Aqtobe")]),
    ("UZ", &[("Tashkent", "Asia/Tashkent"), ("Samarkand", "Asia/Samarkand")]),
    ("TJ", &[("Dushanbe", "Asia/Dushanbe"), ("Khujand", "Asia/Dushanbe")]),
    ("AF", &[("Kabul", "Asia/Kabul"), ("Herat", "Asia/Kabul")]),
    ("JO", &[("Amman", "Asia/Amman"), ("Irbid", "Asia/Amman")]),
    ("LB", &[("Beirut", "Asia/Beirut"), ("Tripoli", "Asia/Beirut")]),
    ("IQ", &[("Baghdad", "Asia/Baghdad"), ("Erbil", "Asia/Baghdad")]),
    ("YE", &[("Aden", "Asia/Aden"), ("Sana'a", "Asia/Aden")]),
    ("TR", &[("Istanbul", "Europe/Istanbul"), ("Ankara", "Europe/Istanbul"), ("Diyarbakır", "Europe/Istanbul")]),
    ("GE", &[("Tbilisi", "Asia/Tbilisi"), ("Kutaisi", "Asia/Tbilisi")]),
    ("AM", &[("Yerevan", "Asia/Yerevan"), ("Gyumri", "Asia/Yerevan")]),
    ("AZ", &[("Baku", "Asia/Baku"), ("Ganja", "Asia/Baku")]),
    ("PL", &[("Warsaw", "Europe/Warsaw"), ("Kraków", "Europe/Warsaw")]),
    ("RO", &[("Bucharest", "Europe/Bucharest"), ("Cluj-Napoca", "Europe/Bucharest")]),
    ("HU", &[("Budapest", "Europe/Budapest"), ("Debrecen", "Europe/Budapest")]),
    ("MD", &[("Chișinău", "Europe/Chisinau"), ("Bălți", "Europe/Chisinau")]),
    ("RS", &[("Belgrade", "Europe/Belgrade"), ("Novi Sad", "Europe/Belgrade")]),
    ("BA", &[("Sarajevo", "Europe/Sarajevo"), ("Banja Luka", "Europe/Sarajevo")]),
    ("FJ", &[("Suva", "Pacific/Fiji"), ("Lautoka", "Pacific/Fiji")]),
    ("PG", &[("Port Moresby", "Pacific/Port_Moresby"), ("Lae", "Pacific/Port_Moresby")]),
    ("LS", &[("Maseru", "Africa/Maseru")]),
    ("SZ", &[("Mbabane", "Africa/Mbabane"), ("Manzini", "Africa/Mbabane")]),
    ("AO", &[("Luanda", "Africa/Luanda"), ("Huambo", "Africa/Luanda")]),
    ("CV", &[("Praia", "Atlantic/Cape_Verde"), ("Mindelo", "Atlantic/Cape_Verde")]),
];

/// The cities of a benchmark country with their time zones, the capital
/// (or largest city) first; none for a country outside the benchmark's.
pub fn bench_venues(code: &str) -> &'static [Venue] {
    VENUES.iter().find(|(c, _)| *c == code).map_or(&[], |(_, venues)| *venues)
}

#[cfg(test)]
mod tests {
    use chrono_tz::Tz;

    use super::*;
    use crate::countries::seed::BENCH_COUNTRIES;

    #[test]
    fn every_benchmark_country_has_cities_in_real_time_zones() {
        for country in BENCH_COUNTRIES {
            let venues = bench_venues(country.code);
            assert!(!venues.is_empty(), "{} has no venue", country.code);
            for (city, zone) in venues {
                assert!(zone.parse::<Tz>().is_ok(), "{city}, {}: {zone} is not an IANA zone", country.code);
            }
        }
        assert_eq!(VENUES.len(), BENCH_COUNTRIES.len());
        assert!(bench_venues("FR").is_empty());
    }
}
