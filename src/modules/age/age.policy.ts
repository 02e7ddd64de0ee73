// THE age rule (seed 000 §10), in one place. Every public read path asks this policy, through the
// age service (AgeGate), whether a viewer may see or play a movie of a watch grade.
//
// Viewers
// - staff (catalog, finance, admin): not gated.
// - a verified member: their age in full years on the service's calendar, from the birth date an
//   identity provider confirmed.
// - an unverified member or an anonymous visitor: age unknown.
//
// The rule
// - 청소년 관람불가 needs a verified age ≥ adultAge (19): until verified, or when under age, such
//   movies are hidden from every list and search, and their detail, score, pick, showtimes and
//   playback answer 403 with a message saying why.
// - 15세 / 12세 관람가 need 15+ / 12+. Seeing them (lists, search, detail) is refused only when the
//   viewer is known to be under age (a verified 14-year-old does not see 15세 movies anywhere —
//   hidden in lists, 403 on detail, the same rule as 청소년 관람불가); an unverified viewer sees
//   them. Playing them (content metadata/validity, watch history) needs the age proven: an
//   unverified member gets 403 asking them to verify.
// - 전체 관람가 and movies without a grade: everyone.
import type { WhereExpressionBuilder } from 'typeorm';
import { forbidden } from '../shared/errors.js';
import { WATCH_GRADES, type WatchGrade } from '../catalog/movie.entity.js';

export interface AgeViewer {
  staff: boolean;
  verified: boolean;
  /** Full years today, when verified. */
  age: number | null;
}

export const ANONYMOUS_VIEWER: AgeViewer = Object.freeze({ staff: false, verified: false, age: null });
export const STAFF_VIEWER: AgeViewer = Object.freeze({ staff: true, verified: false, age: null });

/** Full years between a birth date and a day (both YYYY-MM-DD). */
export function ageOn(birthDate: string, day: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const [y, m, d] = day.split('-').map(Number);
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
}


/**
 * The query side of the rule: restricts a query to movies whose grade is among `grades` (from
 * AgePolicy.visibleGrades; null = no restriction). Movies without a grade stay visible.
 *
 * The grade is compared as `+column` (unary plus: the same value in SQLite and MySQL): the visible
 * grades are most of the catalog, so an index on the grade never narrows the rows, yet SQLite's
 * planner preferred it (an IN list) to the query's own range or order — e.g. "coming soon" read
 * every visible movie and sorted them (1.2 ms) instead of a range on the opening date (1 µs).
 * The plus keeps the term out of index selection; MySQL ignores it.
 */
export function whereGradeVisible<T extends WhereExpressionBuilder>(qb: T, column: string, grades: readonly WatchGrade[] | null | undefined): T {
  if (grades == null) return qb;
  if (!grades.length) return qb.andWhere(`${column} IS NULL`) as T;
  return qb.andWhere(`(+${column} IS NULL OR +${column} IN (:...ageVisibleGrades))`, { ageVisibleGrades: [...grades] }) as T;
}

/** The same restriction on a grade held in memory (whereGradeVisible is its query form). */
export function isGradeVisible(grade: WatchGrade | null, grades: readonly WatchGrade[] | null | undefined): boolean {
  return grades == null || grade === null || grades.includes(grade);
}

export class AgePolicy {
  constructor(readonly adultAge = 19) {}

  minAge(grade: string | null | undefined): number {
    switch (grade) {
      case '청소년 관람불가':
        return this.adultAge;
      case '15세 관람가':
        return 15;
      case '12세 관람가':
        return 12;
      default:
        return 0;
    }
  }

  /** Lists, search, detail: see the rule at the top of this file. */
  canView(viewer: AgeViewer, grade: string | null | undefined): boolean {
    if (viewer.staff) return true;
    const min = this.minAge(grade);
    if (viewer.age === null) return min < this.adultAge;
    return viewer.age >= min;
  }

  /** Playback and content reads: the age must be proven (전체 관람가 excepted). */
  canPlay(viewer: AgeViewer, grade: string | null | undefined): boolean {
    if (viewer.staff) return true;
    const min = this.minAge(grade);
    return min === 0 || (viewer.age !== null && viewer.age >= min);
  }

  /** The grades a viewer may see in lists, or null when nothing is hidden (staff, verified adults). */
  visibleGrades(viewer: AgeViewer): WatchGrade[] | null {
    const grades = WATCH_GRADES.filter((g) => this.canView(viewer, g));
    return grades.length === WATCH_GRADES.length ? null : grades;
  }

  /**
   * Adds "the movie's grade is visible to this viewer" to a query (movies without a grade are
   * visible). `column` is the SQL column, e.g. `m.watch_grade`. Parameterised.
   */
  whereVisible<T extends WhereExpressionBuilder>(qb: T, column: string, grades: readonly WatchGrade[] | null): T {
    return whereGradeVisible(qb, column, grades);
  }

  /** 403 with the reason when the viewer may not see a movie of this grade. */
  assertCanView(viewer: AgeViewer, grade: string | null | undefined): void {
    if (this.canView(viewer, grade)) return;
    const n = this.minAge(grade);
    if (grade === '청소년 관람불가' && !viewer.verified) throw forbidden('adultUnverified', { n });
    throw forbidden('underAge', { grade: grade ?? '', n });
  }

  /** 403 with the reason when the viewer may not play content of this grade. */
  assertCanPlay(viewer: AgeViewer, grade: string | null | undefined): void {
    this.assertCanView(viewer, grade);
    if (this.canPlay(viewer, grade)) return;
    throw forbidden('verifyToPlay', { grade: grade ?? '', n: this.minAge(grade) });
  }
}
