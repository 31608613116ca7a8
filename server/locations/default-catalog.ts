import type { CountryView } from '../../shared/api/locations.ts';

/**
 * The embedded default's catalog: the locations a user can pick when the exit
 * is this machine. Traffic leaves from here whatever is picked; the choice sets
 * the rate and is what an operator's upstream supply would honour.
 */
export const DEFAULT_CATALOG: CountryView[] = [
  {
    code: 'us',
    name: 'United States',
    states: [
      { name: 'California', cities: ['Los Angeles', 'San Francisco', 'San Diego'] },
      { name: 'New York', cities: ['New York', 'Buffalo'] },
      { name: 'Texas', cities: ['Houston', 'Dallas', 'Austin'] },
      { name: 'Florida', cities: ['Miami', 'Orlando'] },
      { name: 'Illinois', cities: ['Chicago'] },
    ],
    isps: ['Comcast', 'AT&T', 'Verizon', 'Charter Spectrum', 'T-Mobile'],
  },
  {
    code: 'gb',
    name: 'United Kingdom',
    states: [
      { name: 'England', cities: ['London', 'Manchester', 'Birmingham'] },
      { name: 'Scotland', cities: ['Edinburgh', 'Glasgow'] },
    ],
    isps: ['BT', 'Virgin Media', 'Sky', 'Vodafone'],
  },
  {
    code: 'de',
    name: 'Germany',
    states: [
      { name: 'Berlin', cities: ['Berlin'] },
      { name: 'Bavaria', cities: ['Munich', 'Nuremberg'] },
      { name: 'Hesse', cities: ['Frankfurt'] },
    ],
    isps: ['Deutsche Telekom', 'Vodafone', 'O2'],
  },
  {
    code: 'fr',
    name: 'France',
    states: [
      { name: 'Île-de-France', cities: ['Paris'] },
      { name: "Provence-Alpes-Côte d'Azur", cities: ['Marseille', 'Nice'] },
    ],
    isps: ['Orange', 'SFR', 'Free', 'Bouygues Telecom'],
  },
  {
    code: 'ng',
    name: 'Nigeria',
    states: [
      { name: 'Lagos', cities: ['Lagos', 'Ikeja'] },
      { name: 'FCT', cities: ['Abuja'] },
    ],
    isps: ['MTN', 'Airtel', 'Glo'],
  },
  {
    code: 'ca',
    name: 'Canada',
    states: [
      { name: 'Ontario', cities: ['Toronto', 'Ottawa'] },
      { name: 'Quebec', cities: ['Montreal'] },
      { name: 'British Columbia', cities: ['Vancouver'] },
    ],
    isps: ['Rogers', 'Bell', 'Telus'],
  },
  {
    code: 'jp',
    name: 'Japan',
    states: [
      { name: 'Tokyo', cities: ['Tokyo'] },
      { name: 'Osaka', cities: ['Osaka'] },
    ],
    isps: ['NTT', 'KDDI', 'SoftBank'],
  },
];
