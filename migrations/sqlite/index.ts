import { SearchTermsInMemory1796500000000 } from './1796500000000-SearchTermsInMemory.js';
import { SearchTypoVariants1796335202303 } from './1796335202303-SearchTypoVariants.js';
import { PanelLanguage1796335027261 } from './1796335027261-PanelLanguage.js';
import { CreditCharacter1796335550889 } from './1796335550889-CreditCharacter.js';
import { PaymentsCreatedAt1796400000000 } from './1796400000000-PaymentsCreatedAt.js';
import { ReplicationHeartbeat1796324056753 } from './1796324056753-ReplicationHeartbeat.js';
import { SandboxGateway1796323975306 } from './1796323975306-SandboxGateway.js';
import { StaffTotp1796322880620 } from './1796322880620-StaffTotp.js';
import { RecommendationModels1796325131298 } from './1796325131298-RecommendationModels.js';
import { TokenRevocation1796322108365 } from './1796322108365-TokenRevocation.js';
import { JobOutbox1796300000000 } from './1796300000000-JobOutbox.js';
import { GatewayLookups1796163264541 } from './1796163264541-GatewayLookups.js';
import { Statistics1796159674667 } from './1796159674667-Statistics.js';
import { MovieSearchFrequencies1795418016561 } from './1795418016561-MovieSearchFrequencies.js';
import { MovieSearchIndex1795417385669 } from './1795417385669-MovieSearchIndex.js';
import { AgeVerification1795415179286 } from './1795415179286-AgeVerification.js';
import { Devices1795414956098 } from './1795414956098-Devices.js';
import { SeedPlans1795413323089 } from './1795413323089-SeedPlans.js';
import { Commerce1795412843630 } from './1795412843630-Commerce.js';
import { Cinemas1795402424821 } from './1795402424821-Cinemas.js';
import { Recommendations1795399720191 } from './1795399720191-Recommendations.js';
import { Members1795399629803 } from './1795399629803-Members.js';
import { Ratings1795399511639 } from './1795399511639-Ratings.js';
import { Catalog1795399009856 } from './1795399009856-Catalog.js';
import { Initial1795398300267 } from './1795398300267-Initial.js';
// Migrations for the embedded SQLite database, in order. `npm run migration:generate -- Name` appends here.
export const sqliteMigrations: Function[] = [
  Initial1795398300267,
  Catalog1795399009856,
  Ratings1795399511639,
  Members1795399629803,
  Recommendations1795399720191,
  Cinemas1795402424821,
  Commerce1795412843630,
  SeedPlans1795413323089,
  Devices1795414956098,
  AgeVerification1795415179286,
  MovieSearchIndex1795417385669,
  MovieSearchFrequencies1795418016561,
  Statistics1796159674667,
  GatewayLookups1796163264541,
  JobOutbox1796300000000,
  TokenRevocation1796322108365,
  StaffTotp1796322880620,
  SandboxGateway1796323975306,
  ReplicationHeartbeat1796324056753,
  RecommendationModels1796325131298,
  PanelLanguage1796335027261,
  SearchTypoVariants1796335202303,
  CreditCharacter1796335550889,
  PaymentsCreatedAt1796400000000,
  SearchTermsInMemory1796500000000,
];
