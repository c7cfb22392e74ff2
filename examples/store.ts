// In-memory state of one example server: customers (soft-deleted), their notes and orders, and a fixed product
// catalog. Every store starts with the seeded records the contracts' examples name (SEED), so an example
// request for an existing customer, note or order is accepted as it stands.
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

export const ORDER_STATUSES = ['draft', 'placed', 'shipped', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The order state machine: where each status may go next (staying put is always allowed). */
export const ORDER_TRANSITIONS: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  draft: ['placed', 'cancelled'],
  placed: ['shipped', 'cancelled'],
  shipped: [],
  cancelled: [],
};

export interface OrderItem {
  sku: string;
  quantity: number;
}

export interface Order {
  id: string;
  customerId: string;
  items: OrderItem[];
  status: OrderStatus;
  deliverAfter?: string;
  totalCents: number;
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

/** The records every store starts with; the contracts' examples name them. */
export const SEED: { customers: readonly Customer[]; notes: readonly Note[]; orders: readonly Order[] } = {
  customers: [
    {
      id: '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1',
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      age: 36,
      tier: 'pro',
      zip: '12345',
      birthday: '1815-12-10',
      tags: ['vip'],
      active: true,
      createdAt: '2024-01-15T09:30:00.000Z',
    },
    {
      id: '3f6b1c2d-8e4a-4b7c-9d1e-2a3b4c5d6e7f',
      name: 'Grace Hopper',
      email: 'grace@example.com',
      tier: 'enterprise',
      birthday: '1906-12-09',
      tags: [],
      active: true,
      createdAt: '2024-02-01T14:00:00.000Z',
    },
  ],
  notes: [
    {
      id: '5d0b6f0e-8a3e-4f0a-b1c4-0d6b1f7b9e21',
      customerId: '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1',
      text: 'Prefers e-mail over phone calls.',
      pinned: true,
      createdAt: '2024-01-15T09:45:00.000Z',
    },
  ],
  orders: [
    {
      id: '9e8d7c6b-5a49-4382-b716-05f4e3d2c1b0',
      customerId: '0b7c9a64-3c1f-4d55-9a57-3f2de2a1c2b1',
      items: [{ sku: 'KEY-0001', quantity: 1 }],
      status: 'draft',
      totalCents: 8900,
      createdAt: '2024-03-01T10:00:00.000Z',
    },
  ],
};

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
  private readonly orders = new Map<string, Order>();

  constructor() {
    // copies, so that one server's changes never reach another's seed
    for (const customer of SEED.customers) this.customers.set(customer.id, { customer: structuredClone(customer), deleted: false });
    for (const note of SEED.notes) this.notes.set(note.id, { ...note });
    for (const order of SEED.orders) this.orders.set(order.id, structuredClone(order));
  }

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

  createOrder(fields: Omit<Order, 'id' | 'status' | 'createdAt'>): Order {
    const order: Order = { id: randomUUID(), ...fields, status: 'draft', createdAt: new Date().toISOString() };
    this.orders.set(order.id, order);
    return order;
  }

  findOrder(id: string): Order | undefined {
    return this.orders.get(id);
  }

  saveOrder(order: Order): void {
    if (this.orders.has(order.id)) this.orders.set(order.id, order);
  }

  /** oldest first */
  listOrders(filter: { customerId?: string; status?: OrderStatus }): Order[] {
    return [...this.orders.values()]
      .filter((order) => filter.customerId === undefined || order.customerId === filter.customerId)
      .filter((order) => filter.status === undefined || order.status === filter.status);
  }
}
