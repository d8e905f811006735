// A test-only ActivityPub peer built with Fedify 1.5, for interop tests of
// Afterword's own (separately written) ActivityPub server.
//
// Usage: node fedify-peer.mjs [--port N] [--ed25519] [--rsa-bits 2048|4096]
//                             [--exit-with-stdin]
// Prints one JSON line {"ready": true, "url": ..., "actor": ...} on stdout
// once it listens on 127.0.0.1. Logs go to stderr (FEDIFY_PEER_LOG=debug for
// Fedify's own debug log).
//
// The peer has one local actor, "reader". Everything it does on the wire is
// Fedify's: signatures, verification, JSON-LD. Tests steer it through the
// JSON API under /control/ (loopback, no auth: never expose this process).
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import http from "node:http";
import { inspect, parseArgs } from "node:util";

import {
  Accept,
  Activity,
  Announce,
  Create,
  createFederation,
  Delete,
  Endpoints,
  Document,
  Follow,
  generateCryptoKeyPair,
  getTypeId,
  Image,
  isActor,
  Like,
  Link,
  MemoryKvStore,
  Mention,
  Move,
  Note,
  Object as APObject,
  Person,
  PUBLIC_COLLECTION,
  Reject,
  Tombstone,
  Undo,
  Update,
} from "@fedify/fedify";
import { configure } from "@logtape/logtape";
import { Temporal } from "@js-temporal/polyfill";

const HANDLE = "reader";

const { values: options } = parseArgs({
  options: {
    port: { type: "string", default: "0" },
    // Off by default: with an Ed25519 key Fedify also attaches an Object
    // Integrity Proof (FEP-8b32) to everything it sends, which most
    // servers Afterword meets in the wild do not do.
    ed25519: { type: "boolean", default: false },
    // 2048 bits, as Mastodon uses, unless "4096": Fedify's own
    // generateCryptoKeyPair() size, which takes a second or two to make.
    "rsa-bits": { type: "string", default: "2048" },
    // Set by tests/support/fedify.py: when pytest dies without tearing
    // down, its end of our stdin closes and we go too, never orphaned.
    "exit-with-stdin": { type: "boolean", default: false },
  },
});

// Fedify logs through LogTape; without a sink its errors (failed deliveries,
// rejected signatures) would vanish. stdout is reserved for the ready line.
await configure({
  contextLocalStorage: new AsyncLocalStorage(),
  sinks: {
    stderr(record) {
      const message = record.message
        .map((part, i) => (i % 2 ? inspect(part, { depth: 4 }) : part))
        .join("");
      process.stderr.write(
        `[${record.level}] ${record.category.join(".")}: ${message}\n`,
      );
    },
  },
  loggers: [
    {
      category: "fedify",
      lowestLevel: process.env.FEDIFY_PEER_LOG ?? "error",
      sinks: ["stderr"],
    },
    { category: ["logtape", "meta"], lowestLevel: "warning", sinks: ["stderr"] },
  ],
});

// ---------------------------------------------------------------- state

const keyPairs = [
  options["rsa-bits"] === "4096"
    ? await generateCryptoKeyPair("RSASSA-PKCS1-v1_5")
    : await crypto.subtle.generateKey(
        {
          name: "RSASSA-PKCS1-v1_5",
          modulusLength: Number(options["rsa-bits"]),
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: "SHA-256", // Fedify refuses any other hash
        },
        true, // Fedify requires extractable keys
        ["sign", "verify"],
      ),
];
if (options.ed25519) keyPairs.push(await generateCryptoKeyPair("Ed25519"));

const received = []; // every verified activity, in arrival order
const sent = []; // every delivery attempt and its outcome
const notes = new Map(); // note uuid -> { note, recipients }
const activities = new Map(); // id of a Like/Announce/Follow -> { activity, recipients }
const following = new Map(); // remote actor id -> { follow, actor, state }
const followers = new Map(); // remote actor id -> { actor, followId }

// Inbox listeners run inside the HTTP request that delivered the activity
// (there is no queue). This holds that request's raw body, and work to run
// once its response is sent.
const requestScope = new AsyncLocalStorage();

// ----------------------------------------------------------- federation

const federation = createFederation({
  kv: new MemoryKvStore(),
  // No queue: sendActivity delivers before it resolves and throws when the
  // remote inbox refuses, so a control call reports the real outcome.
  allowPrivateAddress: true, // the servers under test live on 127.0.0.1
  skipSignatureVerification: false, // the whole point: verify like a peer would
});

federation
  .setActorDispatcher("/users/{identifier}", async (ctx, identifier) => {
    if (identifier !== HANDLE) return null;
    const keys = await ctx.getActorKeyPairs(identifier);
    return new Person({
      id: ctx.getActorUri(identifier),
      preferredUsername: identifier,
      name: "Rin Reader",
      summary: "A test reader run by Afterword's suite (Fedify).",
      url: ctx.getActorUri(identifier),
      inbox: ctx.getInboxUri(identifier),
      outbox: ctx.getOutboxUri(identifier),
      followers: ctx.getFollowersUri(identifier),
      endpoints: new Endpoints({ sharedInbox: ctx.getInboxUri() }),
      manuallyApprovesFollowers: false,
      publicKey: keys[0].cryptographicKey,
      assertionMethods: keys.map((key) => key.multikey),
    });
  })
  .setKeyPairsDispatcher((ctx, identifier) =>
    identifier === HANDLE ? keyPairs : [],
  );

federation.setFollowersDispatcher(
  "/users/{identifier}/followers",
  (ctx, identifier) =>
    identifier === HANDLE
      ? { items: [...followers.values()].map((f) => f.actor) }
      : null,
);

// ActivityPub requires an outbox; it lists the notes' Create activities.
federation.setOutboxDispatcher("/users/{identifier}/outbox", (ctx, identifier) =>
  identifier === HANDLE
    ? {
        items: [...activities.values()]
          .map((a) => a.activity)
          .filter((a) => a instanceof Create),
      }
    : null,
);

// Replies must dereference at their id: servers fetch them to check them.
federation.setObjectDispatcher(
  Note,
  "/notes/{id}",
  (ctx, values) => notes.get(values.id)?.note ?? null,
);

federation
  .setInboxListeners("/users/{identifier}/inbox", "/inbox")
  .on(Follow, async (ctx, follow) => {
    await record(ctx, follow);
    const target = ctx.parseUri(follow.objectId);
    if (target?.type !== "actor" || target.identifier !== HANDLE) return;
    const follower = await follow.getActor(await loaders(ctx));
    if (!isActor(follower) || follower.id == null) return;
    followers.set(follower.id.href, { actor: follower, followId: follow.id?.href });
    const accept = new Accept({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: follow,
      to: follower.id,
    });
    // After our 202 is written: a server that stores its Follow only once
    // its POST returned must not see the Accept first.
    afterResponse(() => deliver(ctx, [follower], accept).catch(() => {}));
  })
  .on(Accept, async (ctx, accept) => {
    await record(ctx, accept);
    settleFollow(accept, "accepted");
  })
  .on(Reject, async (ctx, reject) => {
    await record(ctx, reject);
    settleFollow(reject, "rejected");
  })
  .on(Undo, async (ctx, undo) => {
    await record(ctx, undo);
    for (const [id, follower] of followers) {
      if (follower.followId === undo.objectId?.href) followers.delete(id);
    }
  })
  .on(Create, (ctx, activity) => record(ctx, activity, { detail: true }))
  .on(Update, (ctx, activity) => record(ctx, activity, { detail: true }))
  .on(Delete, (ctx, activity) => record(ctx, activity))
  .on(Like, (ctx, activity) => record(ctx, activity))
  .on(Announce, (ctx, activity) => record(ctx, activity))
  .on(Move, (ctx, activity) => record(ctx, activity))
  // Any other type (Add, Block, Flag, EmojiReact...) is recorded too: a
  // test should see everything the server under test sent.
  .on(Activity, (ctx, activity) => record(ctx, activity))
  // Fetches made while verifying a shared-inbox delivery (the sender's key)
  // are signed as "reader" too, like those for the personal inbox, so a
  // sender in authorized-fetch mode still answers.
  .setSharedKeyDispatcher(() => ({ identifier: HANDLE }))
  .onError((ctx, error) => {
    process.stderr.write(`inbox listener failed: ${error?.stack ?? error}\n`);
  });

// ------------------------------------------------------------- helpers

class ControlError extends Error {
  constructor(status, message, extra = {}) {
    super(message);
    this.status = status;
    this.extra = extra;
  }
}

function afterResponse(task) {
  const scope = requestScope.getStore();
  if (scope) scope.after.push(task);
  else setImmediate(task);
}

async function loaders(ctx) {
  // Signed GETs (as "reader"), so servers in authorized-fetch mode answer.
  return {
    documentLoader: await ctx.getDocumentLoader({ identifier: HANDLE }),
    contextLoader: ctx.contextLoader,
  };
}

function newActivityId(ctx) {
  return new URL(`/activities/${randomUUID()}`, ctx.origin);
}

function typeName(object) {
  const type = getTypeId(object)?.href ?? "";
  return type.slice(type.lastIndexOf("#") + 1) || type;
}

const text = (value) => (value == null ? null : String(value));
const href = (value) =>
  value == null ? null : value instanceof URL ? value.href : text(value.href);

function settleFollow(response, state) {
  for (const entry of following.values()) {
    if (entry.follow.id?.href === response.objectId?.href) entry.state = state;
  }
}

async function describe(object, opts) {
  if (object == null) return null;
  const entry = {
    id: href(object.id),
    type: typeName(object),
    name: text(object.name),
    summary: text(object.summary),
    content: text(object.content),
    sensitive: object.sensitive ?? null,
    url: href(object.url),
    inReplyTo: href(object.replyTargetId),
    attributedTo: href(object.attributionId),
    to: object.toIds.map(href),
    cc: object.ccIds.map(href),
    published: text(object.published),
    updated: text(object.updated),
    attachments: [],
    tags: [],
  };
  for await (const item of object.getAttachments(opts)) {
    entry.attachments.push({
      type: typeName(item),
      url: href(item instanceof Link ? item.href : item.url),
      mediaType: item.mediaType ?? null,
      name: text(item.name), // the alt text, for images
    });
  }
  for await (const tag of object.getTags(opts)) {
    entry.tags.push({
      type: typeName(tag),
      href: href(tag instanceof Link ? tag.href : tag.id),
      name: text(tag.name),
    });
  }
  return entry;
}

async function record(ctx, activity, { detail = false } = {}) {
  const scope = requestScope.getStore();
  const entry = {
    type: typeName(activity),
    id: href(activity.id),
    actor: href(activity.actorId),
    object: href(activity.objectId),
    recipient: ctx.recipient, // null when it came through the shared inbox
    json: await activity.toJsonLd({
      format: "compact",
      contextLoader: ctx.contextLoader,
    }),
    raw: scope?.rawJson ?? null, // exactly what the sender posted
    signature: scope?.signature ?? null,
    receivedAt: new Date().toISOString(),
  };
  if (detail) {
    // A failure here is the sender's to see in the record, not a 500 that
    // would hide the activity from the test.
    try {
      const opts = await loaders(ctx);
      const object = await activity.getObject(opts);
      entry.detail = object instanceof APObject ? await describe(object, opts) : null;
    } catch (error) {
      entry.detail = null;
      entry.detailError = String(error?.message ?? error);
    }
  }
  received.push(entry);
}

// Fetch with a signed GET and parse with Fedify. Errors keep the remote
// status (0 when there was no HTTP answer at all).
async function fetchObject(ctx, url) {
  const opts = await loaders(ctx);
  let remote;
  try {
    remote = await opts.documentLoader(url);
  } catch (error) {
    const status = /HTTP (\d{3})/.exec(String(error?.message))?.[1];
    throw new ControlError(502, String(error?.message ?? error), {
      status: status ? Number(status) : 0,
    });
  }
  let object;
  try {
    object = await APObject.fromJsonLd(remote.document, opts);
  } catch (error) {
    throw new ControlError(502, `Fedify cannot parse ${url}: ${error}`, {
      status: 200,
      document: remote.document,
    });
  }
  return { url: remote.documentUrl, document: remote.document, object };
}

async function resolveActor(ctx, url) {
  urlOf(url, "actor");
  const { object } = await fetchObject(ctx, url);
  if (!isActor(object) || object.id == null || object.inboxId == null) {
    throw new ControlError(502, `${url} is not an actor with an inbox`);
  }
  return object;
}

async function resolveActors(ctx, urls) {
  if (!Array.isArray(urls) || urls.length === 0) {
    throw new ControlError(400, '"to" must list at least one actor URL');
  }
  return Promise.all(urls.map((url) => resolveActor(ctx, url)));
}

async function deliver(ctx, recipients, activity, body = {}) {
  const entry = {
    id: activity.id.href,
    type: typeName(activity),
    to: recipients.map((r) => r.id.href),
    ok: null,
    error: null,
  };
  sent.push(entry);
  try {
    await ctx.sendActivity({ identifier: HANDLE }, recipients, activity, {
      preferSharedInbox: body.sharedInbox === true,
    });
    entry.ok = true;
  } catch (error) {
    entry.ok = false;
    entry.error = String(error?.message ?? error);
    throw new ControlError(502, `delivery failed: ${entry.error}`, {
      id: entry.id,
    });
  }
}

function mentions(actors) {
  return actors.map(
    (actor) =>
      new Mention({
        href: actor.id,
        name: `@${actor.preferredUsername ?? "unknown"}@${actor.id.host}`,
      }),
  );
}

function urlOf(value, field) {
  try {
    return new URL(value);
  } catch {
    throw new ControlError(400, `"${field}" must be an absolute URL`);
  }
}

function findNote(body) {
  const id = typeof body.id === "string" ? body.id : "";
  const uuid = id.slice(id.lastIndexOf("/") + 1);
  const stored = notes.get(uuid);
  if (stored == null || stored.note.id.href !== id) {
    throw new ControlError(404, `no reply ${id} here`);
  }
  return [uuid, stored];
}

// ---------------------------------------------------------- control API

const routes = {
  async "POST /control/follow"(ctx, body) {
    const actor = await resolveActor(ctx, body.actor);
    const follow = new Follow({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: actor.id,
      to: actor.id,
    });
    following.set(actor.id.href, { follow, actor, state: "pending" });
    activities.set(follow.id.href, { activity: follow, recipients: [actor] });
    await deliver(ctx, [actor], follow, body);
    return { id: follow.id.href };
  },

  async "POST /control/unfollow"(ctx, body) {
    const actor = await resolveActor(ctx, body.actor);
    const entry = following.get(actor.id.href);
    if (entry == null) throw new ControlError(404, "not following that actor");
    const undo = new Undo({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: entry.follow,
      to: actor.id,
    });
    following.delete(actor.id.href);
    await deliver(ctx, [actor], undo, body);
    return { id: undo.id.href };
  },

  async "POST /control/reply"(ctx, body) {
    const actors = await resolveActors(ctx, body.to);
    const uuid = randomUUID();
    const published = Temporal.Now.instant();
    const note = new Note({
      id: ctx.getObjectUri(Note, { id: uuid }),
      attribution: ctx.getActorUri(HANDLE),
      content: String(body.content ?? ""),
      summary: body.summary ?? null,
      sensitive: body.sensitive ?? null,
      replyTarget: body.inReplyTo ? urlOf(body.inReplyTo, "inReplyTo") : null,
      url: ctx.getObjectUri(Note, { id: uuid }),
      tos: actors.map((a) => a.id),
      ccs: [PUBLIC_COLLECTION],
      tags: mentions(actors),
      attachments: (body.attachments ?? []).map(
        (a) =>
          new (String(a.mediaType).startsWith("image/") ? Image : Document)({
            url: urlOf(a.url, "attachments[].url"),
            mediaType: a.mediaType ?? null,
            name: a.name ?? null,
          }),
      ),
      published,
    });
    const create = new Create({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: note,
      tos: note.toIds,
      ccs: note.ccIds,
      published,
    });
    notes.set(uuid, { note, recipients: actors });
    activities.set(create.id.href, { activity: create, recipients: actors });
    await deliver(ctx, actors, create, body);
    return { id: note.id.href, activity: create.id.href };
  },

  async "POST /control/update-reply"(ctx, body) {
    const [uuid, stored] = findNote(body);
    const note = stored.note.clone({
      content: String(body.content ?? ""),
      updated: Temporal.Now.instant(),
    });
    notes.set(uuid, { ...stored, note });
    const update = new Update({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: note,
      tos: note.toIds,
      ccs: note.ccIds,
    });
    await deliver(ctx, stored.recipients, update, body);
    return { id: note.id.href, activity: update.id.href };
  },

  async "POST /control/delete-reply"(ctx, body) {
    const [uuid, stored] = findNote(body);
    notes.delete(uuid); // from now on its id answers 404
    const del = new Delete({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: new Tombstone({ id: stored.note.id }),
      tos: stored.note.toIds,
      ccs: stored.note.ccIds,
    });
    await deliver(ctx, stored.recipients, del, body);
    return { id: stored.note.id.href, activity: del.id.href };
  },

  async "POST /control/like"(ctx, body) {
    const actors = await resolveActors(ctx, body.to);
    const like = new Like({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: urlOf(body.object, "object"),
      tos: actors.map((a) => a.id),
    });
    activities.set(like.id.href, { activity: like, recipients: actors });
    await deliver(ctx, actors, like, body);
    return { id: like.id.href };
  },

  async "POST /control/announce"(ctx, body) {
    const actors = await resolveActors(ctx, body.to);
    const announce = new Announce({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: urlOf(body.object, "object"),
      to: PUBLIC_COLLECTION,
      ccs: [ctx.getFollowersUri(HANDLE), ...actors.map((a) => a.id)],
      published: Temporal.Now.instant(),
    });
    activities.set(announce.id.href, { activity: announce, recipients: actors });
    await deliver(ctx, actors, announce, body);
    return { id: announce.id.href };
  },

  async "POST /control/undo"(ctx, body) {
    const stored = activities.get(body.activity);
    if (stored == null) throw new ControlError(404, `no activity ${body.activity}`);
    const undo = new Undo({
      id: newActivityId(ctx),
      actor: ctx.getActorUri(HANDLE),
      object: stored.activity,
      tos: stored.recipients.map((a) => a.id),
    });
    activities.delete(body.activity);
    await deliver(ctx, stored.recipients, undo, body);
    return { id: undo.id.href };
  },

  async "POST /control/lookup"(ctx, body) {
    urlOf(body.url, "url");
    try {
      const { url, document, object } = await fetchObject(ctx, body.url);
      const compact = await object.toJsonLd({
        format: "compact",
        contextLoader: ctx.contextLoader,
      });
      return { status: 200, url, object: compact, document };
    } catch (error) {
      if (!(error instanceof ControlError) || error.extra.status == null) throw error;
      return { ...error.extra, error: error.message };
    }
  },

  "GET /control/received"() {
    return received;
  },

  "GET /control/sent"() {
    return sent;
  },

  "GET /control/state"() {
    return {
      following: Object.fromEntries(
        [...following].map(([id, e]) => [id, { follow: e.follow.id.href, state: e.state }]),
      ),
      followers: [...followers.keys()],
    };
  },

  "POST /control/reset"() {
    received.length = 0;
    sent.length = 0;
    return { ok: true };
  },
};

async function control(request, baseUrl) {
  const route = routes[`${request.method} ${new URL(request.url).pathname}`];
  if (route == null) throw new ControlError(404, "no such control route");
  const body = request.method === "POST" ? await request.json().catch(() => ({})) : {};
  const ctx = federation.createContext(new URL(baseUrl), undefined);
  return route(ctx, body ?? {});
}

// ------------------------------------------------------------- server

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (chunk) => chunks.push(chunk));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function toRequest(req, body, baseUrl) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  }
  const bodyless = req.method === "GET" || req.method === "HEAD";
  return new Request(new URL(req.url, baseUrl), {
    method: req.method,
    headers,
    body: bodyless ? undefined : body,
  });
}

function sendJson(res, status, data) {
  res.writeHead(status, { "Content-Type": "application/json" });
  res.end(JSON.stringify(data));
}

let baseUrl = "";

const server = http.createServer(async (req, res) => {
  try {
    const body = await readBody(req);
    const request = toRequest(req, body, baseUrl);
    if (req.url.startsWith("/control/")) {
      try {
        sendJson(res, 200, await control(request, baseUrl));
      } catch (error) {
        if (!(error instanceof ControlError)) throw error;
        sendJson(res, error.status, { error: error.message, ...error.extra });
      }
      return;
    }
    const scope = { after: [], rawJson: null, signature: req.headers.signature ?? null };
    try {
      scope.rawJson = body.length ? JSON.parse(body.toString("utf8")) : null;
    } catch {
      // Fedify answers 400 itself.
    }
    const response = await requestScope.run(scope, () =>
      federation.fetch(request, { contextData: undefined }),
    );
    res.on("finish", () => scope.after.forEach((task) => setImmediate(task)));
    res.writeHead(response.status, Object.fromEntries(response.headers));
    res.end(Buffer.from(await response.arrayBuffer()));
  } catch (error) {
    process.stderr.write(`request ${req.method} ${req.url} failed: ${error?.stack ?? error}\n`);
    if (!res.headersSent) sendJson(res, 500, { error: String(error) });
    else res.end();
  }
});

server.listen(Number(options.port), "127.0.0.1", () => {
  baseUrl = `http://127.0.0.1:${server.address().port}`;
  const actor = new URL(`/users/${HANDLE}`, baseUrl).href;
  process.stdout.write(`${JSON.stringify({ ready: true, url: baseUrl, actor })}\n`);
});

if (options["exit-with-stdin"]) {
  process.stdin.on("end", () => process.exit(0));
  process.stdin.resume();
}

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, () => process.exit(0));
}
