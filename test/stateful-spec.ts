// The contract the stateful check tables run against: items with a create, read, merge-patch update and delete.
export const ITEMS_SPEC = `
openapi: 3.1.0
info: { title: Items, version: '1' }
paths:
  /items:
    post:
      operationId: createItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Item' }
      responses:
        '201':
          description: created
          headers:
            Location: { required: true, schema: { type: string, format: uri-reference } }
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
  /items/{itemId}:
    parameters:
      - { name: itemId, in: path, required: true, schema: { type: string } }
    get:
      operationId: getItem
      responses:
        '200':
          description: the item
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
        '404': { description: no such item }
        '410': { description: gone }
    patch:
      operationId: updateItem
      requestBody:
        required: true
        content:
          application/merge-patch+json:
            schema: { $ref: '#/components/schemas/ItemPatch' }
      responses:
        '200':
          description: updated
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
        '404': { description: no such item }
    put:
      operationId: replaceItem
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Item' }
      responses:
        '200':
          description: replaced
          content:
            application/json:
              schema: { $ref: '#/components/schemas/Item' }
    delete:
      operationId: deleteItem
      responses:
        '204': { description: deleted }
        '404': { description: no such item }
  /things/{thingId}:
    parameters:
      - { name: thingId, in: path, required: true, schema: { type: string } }
    delete:
      operationId: deleteThing
      responses:
        '200': { description: deleted, content: { application/json: { schema: { type: object } } } }
        '404': { description: no such thing }
components:
  schemas:
    Item:
      type: object
      required: [id, name]
      properties:
        id: { type: string, readOnly: true }
        name: { type: string }
        colour: { type: string }
        size: { type: integer }
        tags: { type: array, items: { type: string } }
        secret: { type: string, writeOnly: true }
        note: { type: string }
        createdAt: { type: string, format: date-time, readOnly: true }
        updatedAt: { type: string, format: date-time }
        dueAt: { type: string, format: date-time }
    ItemPatch:
      type: object
      properties:
        name: { type: string }
        colour: { type: [string, 'null'] }
        size: { type: [integer, 'null'] }
`;
