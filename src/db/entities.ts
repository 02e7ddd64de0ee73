// Every TypeORM entity of the product, in one list: the DataSource, the migrations drift test and
// the admin panel read it from here. A new module adds its entities below.
import { AuditEntry } from '../modules/audit/audit-entry.entity.js';
import { Content } from '../modules/catalog/content.entity.js';
import { Genre } from '../modules/catalog/genre.entity.js';
import { Manufacturer } from '../modules/catalog/manufacturer.entity.js';
import { Movie, MovieCredit, MovieGenre, MoviePick } from '../modules/catalog/movie.entity.js';
import { Person } from '../modules/catalog/person.entity.js';
import { Coupon, CouponIssue, Discount, GatewayEvent, IdempotencyRecord, Payment, PaymentMethod, Plan, Refund, Subscription, SubscriptionEvent } from '../modules/commerce/commerce.entities.js';
import { Cinema, CinemaPick, CinemaRating, Showtime } from '../modules/cinemas/cinema.entities.js';
import { Device, DeviceAuthorization } from '../modules/devices/device.entities.js';
import { AgeVerification, VerificationTransaction } from '../modules/age/verification.entities.js';
import { WatchEvent, WatchProgress } from '../modules/members/watch.entity.js';
import { MovieRating } from '../modules/ratings/movie-rating.entity.js';
import { MovieSearchTerm } from '../modules/search/movie-search.entities.js';
import { AutoDisplay, RecLock, RecModel, RecModelChunk, RecRun, Top10Entry, UserRecommendation } from '../modules/recommendations/recommendation.entities.js';
import { DailySignupStat } from '../modules/statistics/daily-signup-stat.entity.js';
import { DailyContentViewStat, DailyRevenueStat, DailySubscriptionStat, StatDay } from '../modules/statistics/statistics.entities.js';
import { StaffRecoveryCode } from '../modules/users/recovery-code.entity.js';
import { User } from '../modules/users/user.entity.js';
import { HttpSession } from './session.entity.js';
import { ReplicationHeartbeat } from './replication.js';
import { OutboxEntry } from '../../jobs/outbox.entity.js';
import { SandboxAuthorizationRow, SandboxReplyRow } from '../modules/commerce/gateways/sandbox.entities.js';

export const entities = [User, StaffRecoveryCode, DailySignupStat, StatDay, DailyRevenueStat, DailySubscriptionStat, DailyContentViewStat, AuditEntry, HttpSession, Genre, Person, Manufacturer, Movie, MovieGenre, MovieCredit, MoviePick, Content, MovieRating, WatchProgress, WatchEvent, RecRun, UserRecommendation, RecModel, RecModelChunk, RecLock, AutoDisplay, Top10Entry, Cinema, Showtime, CinemaPick, CinemaRating, PaymentMethod, Plan, Subscription, SubscriptionEvent, Payment, Refund, Discount, Coupon, CouponIssue, IdempotencyRecord, GatewayEvent, DeviceAuthorization, Device, AgeVerification, VerificationTransaction, MovieSearchTerm, OutboxEntry, SandboxAuthorizationRow, SandboxReplyRow, ReplicationHeartbeat];
