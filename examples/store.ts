// In-memory state of one example server: customers (soft-deleted), their notes, and a fixed product catalog.
import { randomUUID } from 'node:crypto';

export const TIERS = ['basic', 'pro', 'enterprise'] as const;
export type Tier = (typeof TIERS)[number];

export interface Customer {
  id: string;
  name: string;
  email: string;
  age?: number;
  tier: Tier;
  zip?: string;
  birthday?: string;
  tags: string[];
  active: boolean;
  createdAt: string;
}

/** What a client may set: everything but id and createdAt. */
export type CustomerFields = Omit<Customer, 'id' | 'createdAt'>;

export interface Note {
  id: string;
  customerId: string;
  text: string;
  pinned: boolean;
  createdAt: string;
}

export interface Product {
  sku: string;
  name: string;
  priceCents: number;
  currency: 'EUR';
  inStock: boolean;
}

export const PRODUCTS: readonly Product[] = [
  { sku: 'KEY-0001', name: 'Mechanical keyboard', priceCents: 8900, currency: 'EUR', inStock: true },
  { sku: 'MOU-0002', name: 'Wireless mouse', priceCents: 2900, currency: 'EUR', inStock: true },
  { sku: 'MON-0003', name: '27-inch monitor', priceCents: 24900, currency: 'EUR', inStock: true },
  { sku: 'CAB-0004', name: 'USB-C cable, 2 m', priceCents: 1290, currency: 'EUR', inStock: false },
];

export interface CustomerFilter {
  tier?: Tier;
  tags?: string[];
  active?: boolean;
  /** epoch milliseconds: created at or after */
  createdFrom?: number;
}

export class ShopStore {
  private readonly customers = new Map<string, { customer: Customer; deleted: boolean }>();
  private readonly notes = new Map<string, Note>();

  createCustomer(fields: CustomerFields): Customer {
    const customer: Customer = { id: randomUUID(), ...fields, createdAt: new Date().toISOString() };
    this.customers.set(customer.id, { customer, deleted: false });
    return customer;
  }

  /** A live customer; deleted ones are gone. */
  findCustomer(id: string): Customer | undefined {
    const entry = this.customers.get(id);
    return entry && !entry.deleted ? entry.customer : undefined;
  }

  /** Used only by the deleted-still-readable bug, which forgets the soft-delete flag. */
  findCustomerIncludingDeleted(id: string): Customer | undefined {
    return this.customers.get(id)?.customer;
  }

  saveCustomer(customer: Customer): void {
    const entry = this.customers.get(customer.id);
    if (entry && !entry.deleted) entry.customer = customer;
  }

  /** false when there was no live customer with that id */
  deleteCustomer(id: string): boolean {
    const entry = this.customers.get(id);
    if (!entry || entry.deleted) return false;
    entry.deleted = true;
    return true;
  }

  listCustomers(filter: CustomerFilter): Customer[] {
    return [...this.customers.values()]
      .filter((entry) => !entry.deleted)
      .map((entry) => entry.customer)
      .filter((customer) => filter.tier === undefined || customer.tier === filter.tier)
      .filter((customer) => filter.active === undefined || customer.active === filter.active)
      .filter((customer) => (filter.tags ?? []).every((tag) => customer.tags.includes(tag)))
      .filter((customer) => filter.createdFrom === undefined || Date.parse(customer.createdAt) >= filter.createdFrom);
  }

  createNote(customerId: string, text: string, pinned: boolean): Note {
    const note: Note = { id: randomUUID(), customerId, text, pinned, createdAt: new Date().toISOString() };
    this.notes.set(note.id, note);
    return note;
  }

  findNote(customerId: string, noteId: string): Note | undefined {
    const note = this.notes.get(noteId);
    return note && note.customerId === customerId && this.findCustomer(customerId) ? note : undefined;
  }
}
