/**
 * A synthetic organisation, as an endless, reproducible stream of events (same seed, same
 * events, same ids): a company of divisions → departments → teams is founded and staffed, then
 * years of churn follow — departures (some announced first), new hires, transfers, renames,
 * moves, REPORTED appointments later confirmed, rumored appointments later confirmed, retracted,
 * or left unresolved until the rumored stint ends.
 *
 * Every team keeps its headcount (each vacancy is filled, every rumored advisor leaves again), so
 * a read of one department costs the same at any point in history: what grows with the log is
 * the history behind it, not the answer.
 * Division 0 is founded and staffed first; its departments and first staff are the read probes,
 * present in every prefix of the stream from ~3k events on.
 */
import type { Confidence } from '../../src/core/domain/confidence.ts';
import { personStream, unitStream, type NewEvent, type OrgEvent, type Source } from '../../src/core/domain/events.ts';
import { Prng } from './prng.ts';

export interface OrgShape {
  divisions: number;
  departments: number;
  teams: number;
  teamSize: number;
}

/** 10 × 12 × 14 = 1,680 teams (1,811 units) and ~13.6k people at founding; ~1 new hire per churn step after. */
export const DEFAULT_SHAPE: OrgShape = { divisions: 10, departments: 12, teams: 14, teamSize: 8 };

interface Member {
  person: string;
  roleId: string;
  title: string;
}

interface Team {
  handle: string;
  parent: string;
  division: number;
  members: Member[];
}

interface Pending {
  type: 'EventConfirmed' | 'EventRetracted' | 'RoleEnded';
  eventId: string;
  stream: string;
  occurredAt: Date;
  role?: Member & { unit: string };
}

const FIRST = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Fei', 'Gus', 'Hana', 'Ivo', 'Jun', 'Kai', 'Lena', 'Mo', 'Nia', 'Oto', 'Pia', 'Qiu', 'Rui', 'Sol', 'Tao'];
const LAST = ['Li', 'Wang', 'Garcia', 'Okafor', 'Novak', 'Sato', 'Silva', 'Khan', 'Berg', 'Rossi', 'Kim', 'Moreau', 'Lund', 'Haddad', 'Zhou'];
const WORDS = ['Atlas', 'Beacon', 'Cedar', 'Delta', 'Ember', 'Fjord', 'Granite', 'Harbor', 'Iris', 'Juniper', 'Kestrel', 'Lumen', 'Meridian', 'Nimbus', 'Orbit', 'Prism'];
const TITLES = ['Engineer', 'Senior Engineer', 'Researcher', 'Designer', 'Analyst', 'Product Manager', 'Staff Engineer'];
const PUBLISHERS = ['The Ledger', 'Tech Wire', 'Org Watch', 'Daily Signal'];

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export class OrgGenerator {
  readonly probeDepartments: string[] = [];
  readonly probePeople: string[] = [];
  /** Events emitted once division 0 (the probes) is fully staffed. */
  probeReadyAfter = 0;
  emitted = 0;
  people = 0;
  units = 0;

  private readonly rng: Prng;
  private readonly queue: NewEvent[] = [];
  private readonly teams: Team[] = [];
  private readonly departments: Array<{ handle: string; division: number }> = [];
  private readonly pending = new Map<number, Pending[]>();
  private clock = Date.UTC(2016, 0, 4, 9);
  private step = 0;
  private founding: Generator<void> | null;
  private ceo = '';

  constructor(
    seed = 20260301,
    private readonly shape: OrgShape = DEFAULT_SHAPE,
  ) {
    this.rng = new Prng(seed);
    this.founding = this.found();
  }

  /** Teams outside the probe division: where the write benchmarks assign roles. */
  writableTeams(): string[] {
    return this.teams.filter((t) => t.division !== 0).map((t) => t.handle);
  }

  /** The next `n` events of the history. */
  take(n: number): NewEvent[] {
    while (this.queue.length < n) {
      if (this.founding && this.founding.next().done) this.founding = null;
      if (!this.founding) this.churn();
    }
    const out = this.queue.splice(0, n);
    this.emitted += out.length;
    return out;
  }

  // ---- founding: one division at a time, division 0 first -------------------------------------

  private *found(): Generator<void> {
    this.unit('acme', 'Acme', 'company', null);
    this.ceo = this.hire('acme', 'Chief Executive Officer', null).person;
    yield;
    for (let d = 0; d < this.shape.divisions; d++) {
      const division = `div-${d}`;
      this.unit(division, `${WORDS[d % WORDS.length]} Division`, 'division', 'acme');
      const head = this.hire(division, 'Division Head', this.ceo).person;
      for (let p = 0; p < this.shape.departments; p++) {
        const dept = `dept-${d}-${p}`;
        this.unit(dept, `${this.rng.pick(WORDS)} ${p}`, 'department', division);
        this.departments.push({ handle: dept, division: d });
        if (d === 0) this.probeDepartments.push(dept);
        const deptHead = this.hire(dept, 'Department Head', head).person;
        for (let t = 0; t < this.shape.teams; t++) {
          const handle = `team-${d}-${p}-${t}`;
          this.unit(handle, `${this.rng.pick(WORDS)} ${this.rng.pick(WORDS)}`, 'team', dept);
          const team: Team = { handle, parent: dept, division: d, members: [] };
          this.teams.push(team);
          const lead = this.hire(handle, 'Team Lead', deptHead);
          team.members.push(lead);
          for (let m = 1; m < this.shape.teamSize; m++) team.members.push(this.hire(handle, this.rng.pick(TITLES), lead.person));
          if (d === 0) this.probePeople.push(...team.members.map((member) => member.person));
          yield;
        }
      }
      if (d === 0) this.probeReadyAfter = this.emitted + this.queue.length;
    }
  }

  // ---- churn: every step fills one vacancy, plus occasional corrections and restructuring ------

  private churn(): void {
    this.step++;
    this.clock += Math.max(MINUTE, Math.round(this.rng.exp(12 * MINUTE)));
    for (const due of this.pending.get(this.step) ?? []) this.resolve(due);
    this.pending.delete(this.step);

    const team = this.rng.pick(this.teams);
    const index = this.rng.int(team.members.length);
    const leaver = team.members[index]!;
    const announced = this.rng.chance(0.3);
    const endAt = new Date(this.clock + (announced ? (7 + this.rng.int(40)) * DAY : 0));
    if (announced) this.roleEvent('DepartureAnnounced', leaver, team.handle, new Date(this.clock));
    this.roleEvent('RoleEnded', leaver, team.handle, endAt);

    let filler: Member;
    if (this.rng.chance(0.5)) {
      filler = this.hire(team.handle, leaver.title, null, endAt);
    } else {
      // A transfer in; the other team backfills with a new hire.
      const from = this.rng.pick(this.teams);
      const j = this.rng.int(from.members.length);
      const mover = from.members[j]!;
      if (from === team || mover.person === leaver.person) {
        filler = this.hire(team.handle, leaver.title, null, endAt);
      } else {
        this.roleEvent('RoleEnded', mover, from.handle, endAt);
        filler = this.assign(mover.person, team.handle, leaver.title, null, endAt);
        from.members[j] = this.hire(from.handle, mover.title, null, endAt);
      }
    }
    team.members[index] = filler;

    if (this.rng.chance(0.08)) this.rumor();
    if (this.rng.chance(0.02)) this.rename();
    if (this.rng.chance(0.01)) this.move();
  }

  private rumor(): void {
    const team = this.rng.pick(this.teams);
    const who = this.rng.pick(this.rng.pick(this.teams).members);
    const role = this.assign(who.person, team.handle, 'Advisor', null, new Date(this.clock), 'RUMORED');
    const roll = this.rng.next();
    const at = new Date(this.clock);
    const target = { eventId: this.lastEventId(), stream: personStream(who.person), occurredAt: at };
    const ends = () => this.later(40 + this.rng.int(300), { type: 'RoleEnded', ...target, role: { ...role, unit: team.handle } });
    if (roll < 0.5) {
      this.later(3 + this.rng.int(30), { type: 'EventConfirmed', ...target });
      ends();
    } else if (roll < 0.8) this.later(3 + this.rng.int(30), { type: 'EventRetracted', ...target });
    // Neither confirmed nor retracted: the rumored stint still ends. (Left standing, these piled
    // up in every team — a department's answer grew from ~114 roles to ~129 at 1M events.)
    else ends();
  }

  private rename(): void {
    const handle = this.rng.chance(0.8) ? this.rng.pick(this.teams).handle : this.rng.pick(this.departments).handle;
    const name = `${this.rng.pick(WORDS)} ${this.rng.pick(WORDS)} ${this.step}`;
    this.emit({ type: 'OrgUnitRenamed', data: { handle, name, previousName: '' } }, unitStream(handle), new Date(this.clock));
  }

  /** Teams outside division 0 move between departments of their own division (the probes stay put). */
  private move(): void {
    const team = this.rng.pick(this.teams);
    if (team.division === 0) return;
    const to = this.rng.pick(this.departments.filter((d) => d.division === team.division && d.handle !== team.parent));
    this.emit({ type: 'OrgUnitMoved', data: { handle: team.handle, parent: to.handle, previousParent: team.parent } }, unitStream(team.handle), new Date(this.clock));
    team.parent = to.handle;
  }

  private resolve(due: Pending): void {
    const metadata = { confidence: 'CONFIRMED' as Confidence, actor: 'bench' };
    if (due.type === 'RoleEnded') this.roleEvent('RoleEnded', due.role!, due.role!.unit, new Date(this.clock));
    else if (due.type === 'EventConfirmed') this.emit({ type: 'EventConfirmed', data: { eventId: due.eventId } }, due.stream, due.occurredAt, metadata);
    else this.emit({ type: 'EventRetracted', data: { eventId: due.eventId, reason: 'not borne out' } }, due.stream, due.occurredAt, metadata);
  }

  private later(steps: number, pending: Pending): void {
    const at = this.step + steps;
    this.pending.set(at, [...(this.pending.get(at) ?? []), pending]);
  }

  // ---- event helpers ------------------------------------------------------------------------

  private unit(handle: string, name: string, kind: string, parent: string | null): void {
    this.units++;
    this.clock += MINUTE;
    this.emit({ type: 'OrgUnitCreated', data: { handle, name, kind, parent } }, unitStream(handle), new Date(this.clock));
  }

  /** Register a new person and give them a role; 15% are first REPORTED, most confirmed later. */
  private hire(unit: string, title: string, reportsTo: string | null, at?: Date): Member {
    const person = `p-${(++this.people).toString(36).padStart(5, '0')}`;
    const effective = at ?? new Date((this.clock += MINUTE));
    const name = `${this.rng.pick(FIRST)} ${this.rng.pick(LAST)}`;
    this.emit({ type: 'PersonRegistered', data: { handle: person, name, nativeName: null } }, personStream(person), new Date(effective.getTime() - DAY));
    const reported = this.founding === null && this.rng.chance(0.15);
    const member = this.assign(person, unit, title, reportsTo, effective, reported ? 'REPORTED' : 'CONFIRMED');
    if (reported && this.rng.chance(0.7))
      this.later(2 + this.rng.int(20), { type: 'EventConfirmed', eventId: this.lastEventId(), stream: personStream(person), occurredAt: effective });
    return member;
  }

  private assign(person: string, unit: string, title: string, reportsTo: string | null, at: Date, confidence: Confidence = 'CONFIRMED'): Member {
    const roleId = this.rng.uuid();
    const source = confidence === 'CONFIRMED' ? null : this.source();
    this.emit({ type: 'RoleAssigned', data: { roleId, person, unit, title, reportsTo } }, personStream(person), at, { confidence, actor: 'bench', ...(source ? { source } : {}) });
    return { person, roleId, title };
  }

  private roleEvent(type: 'DepartureAnnounced' | 'RoleEnded', member: Member, unit: string, at: Date): void {
    const { roleId, person, title } = member;
    const event: OrgEvent =
      type === 'RoleEnded' ? { type, data: { roleId, person, unit, title, reason: null } } : { type, data: { roleId, person, unit, title } };
    this.emit(event, personStream(person), at);
  }

  private source(): Source {
    const publisher = this.rng.pick(PUBLISHERS);
    return { title: `${publisher} report ${this.step}`, publisher, url: `https://news.example/${this.step}-${this.rng.int(1e6)}` };
  }

  private lastEventId(): string {
    return this.queue[this.queue.length - 1]!.eventId;
  }

  private emit(event: OrgEvent, stream: string, occurredAt: Date, metadata: NewEvent['metadata'] = { confidence: 'CONFIRMED', actor: 'bench' }): void {
    this.queue.push({ ...event, eventId: this.rng.uuid(), stream, occurredAt, metadata } as NewEvent);
  }
}
