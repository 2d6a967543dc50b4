"""Food search benchmark: the 8,789 USDA foods plus 100,000 custom foods on PostgreSQL,
varied searches against the bare /healthz in the same run.

    python bench/food_search.py                   # PostgreSQL (the target's setting)
    python bench/food_search.py --customs 20000   # fewer custom foods
    python bench/food_search.py --db sqlite       # SQLite instead

What it does:

1. Prepares a fresh database ``spotter_bench_nutrition`` next to
   ``SPOTTER_BENCH_POSTGRES_URL`` (default the local ``postgres`` database), runs
   ``spotter db upgrade`` (which loads the USDA foods) and starts ``spotter serve
   --workers 2`` with ``SPOTTER_ENV=production``.
2. Registers an owner through the API and adds one client.
3. Seeds ``--customs`` custom foods (100,000 by default) into that organization in bulk:
   product-like names (brand, descriptor, food, flavour) with nutrients and a portion, a
   tenth of them one client's own, and their search terms made by the same function the
   service uses (``nutrition.text.terms``), written with PostgreSQL ``COPY``, and new
   versions of the two catalogues (the organization's foods, the client's) in the same
   transaction, as the service gives every write; then VACUUM ANALYZE, as autovacuum
   would for tables that grew over time.
4. At concurrency 1 and 16, ``--rounds`` times over, a bounded load of GET /healthz (the
   floor), GET /api/v1/me (authentication alone) and two lines of GET /api/v1/foods:

   * *repeated searches*: varied searches (whole words in any order, prefixes while
     typing, typos, brand words that only custom foods have, a group filter, a client's
     foods, second pages), each asked several times in the warm-up, so what is measured
     is a search asked again while the catalogue is unchanged (its custom-food part kept:
     the catalogue versions are all it reads of them);
   * *first-time searches*: two words of the benchmark's vocabulary (a one-word brand,
     descriptor or flavour and a word of a food's name: "smoked salmon", "acme granola"),
     every request a set of words no request of the run asked before, so each one reads
     the custom foods' terms (the views of foods already shown, and the shared foods'
     index, stay warm, as in a running server).

   Prints requests/s, p50/p95/p99 and each p95 as a multiple of /healthz's p95, and for
   each search line the verdict: the median of the rounds' ratios against the target
   (under 3x).
5. Stops the server, drops the database and exits 0.

The load generator shares the CPU cores with the server (and, on a shared machine, with
whatever else runs): compare runs on one machine, do not plan capacity with these numbers.
"""

from __future__ import annotations

import asyncio
import itertools
import os
import platform
import random
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
from harness import (
    HEALTHZ,
    PG_ADMIN_DEFAULT,
    Load,
    Result,
    Server,
    clean_up,
    free_port,
    measure,
    parser,
    pooled,
    prepare_database,
    production_env,
    register_owner,
    say,
    table,
    upgrade,
    verdict,
)

BENCH_DB = "spotter_bench_nutrition"
FIRST_TIME_WARMUP = 10


def _words(text: str) -> tuple[str, ...]:
    return tuple(w.strip() for w in text.split(","))


BRANDS = _words(
    "Acme, Brookfield, Nordic Farms, Green Valley, Harvest Moon, Blue Ridge, Sunrise, "
    "Golden Fields, Oak & Ash, Riverside, Highland, Meadowbrook, Pure Life, Urban Kitchen, "
    "Coastal, Fresh Start, Maple Lane, Stonebridge, Wild Oats, Northside, Alpine, Evergreen, "
    "Red Barn, Silver Spoon, True North, Little Farm, Big Sky, Fit Fuel, Grafter, Lean Machine"
)
FOODS = _words(
    "chicken breast, chicken thigh, turkey mince, beef mince, pork loin, salmon fillet, "
    "tuna chunks, cod fillet, king prawns, tofu, tempeh, greek yogurt, natural yogurt, skyr, "
    "cottage cheese, cheddar, mozzarella, whole milk, oat milk, almond milk, eggs, egg whites, "
    "porridge oats, granola, muesli, brown rice, basmati rice, jasmine rice, wholewheat pasta, "
    "penne, spaghetti, sourdough bread, rye bread, wraps, bagels, rice cakes, protein bar, "
    "protein shake, whey protein, peanut butter, almond butter, hummus, lentil soup, "
    "tomato soup, chickpeas, black beans, kidney beans, quinoa, couscous, sweet potato, "
    "potatoes, broccoli, spinach, kale, mixed salad, bananas, apples, blueberries, "
    "strawberries, mango chunks, dark chocolate, flapjack, energy balls, trail mix, cashews, "
    "walnuts, olive oil, coconut oil, pesto, curry sauce, chilli con carne, lasagne, "
    "chicken tikka masala, beef stew, veggie burger, falafel, sushi rolls, noodles, ramen, "
    "pizza, burrito bowl, smoothie, orange juice, kombucha"
)
DESCRIPTORS = _words(
    "organic, free range, high protein, low fat, reduced sugar, lightly salted, smoked, "
    "roasted, grilled, crispy, spicy, classic, family pack, mini, wholegrain, gluten free, "
    "vegan, fresh, frozen, chilled, ready to eat"
)
FLAVOURS = (
    "",
    "",
    "",
    *_words(
        "vanilla, chocolate, salted caramel, strawberry, lemon, garlic, honey, chilli, mango, "
        "cinnamon, sea salt, herb, bbq, peri peri"
    ),
)
GROUPS = _words("poultry, dairy_egg, grains_pasta, snacks, vegetables, fruits, legumes")

# Varied searches: whole words in any order, typing, typos, custom-only words, filters.
SEARCHES: list[list[tuple[str, str]]] = [
    [("q", "chicken breast")],
    [("q", "breast chicken")],
    [("q", "greek yogurt")],
    [("q", "rice cooked")],
    [("q", "cooked rice")],
    [("q", "banana")],
    [("q", "oats")],
    [("q", "eggs")],
    [("q", "peanut butter")],
    [("q", "sweet potato")],
    [("q", "chick")],  # typing
    [("q", "yog")],
    [("q", "salm")],
    [("q", "chiken brest")],  # typos
    [("q", "yoghurt grek")],
    [("q", "protein bar")],  # mostly custom foods
    [("q", "acme granola")],  # a brand word only custom foods have
    [("q", "nordic skyr vanilla")],
    [("q", "high protein shake chocolate")],
    [("q", "milk"), ("group", "dairy_egg")],
    [("q", "chicken"), ("group", "poultry")],
    [("q", "cheddar"), ("source", "custom")],
    [("q", "apple"), ("limit", "50")],
    [("group", "fruits")],  # browsing
    [],
]


def _name(rng: random.Random) -> tuple[str, str, str]:
    brand = rng.choice(BRANDS)
    food = rng.choice(FOODS)
    words = [rng.choice(DESCRIPTORS)] if rng.random() < 0.7 else []
    words.append(food)
    flavour = rng.choice(FLAVOURS)
    if flavour:
        words.append(flavour)
    words.append(f"{rng.choice((150, 200, 250, 300, 400, 500, 750, 1000))}g")
    return " ".join(words).capitalize(), brand, rng.choice(GROUPS)


FOOD_COLUMNS = _words(
    "id, organization_id, client_id, name, brand, barcode, food_group_id, energy_kcal, "
    "protein_g, fat_g, carbohydrate_g, fiber_g, sugars_g, sodium_mg, created_at, updated_at"
)
PORTION_COLUMNS = _words(
    "id, organization_id, custom_food_id, position, amount, description, gram_weight"
)
TERM_COLUMNS = _words("id, organization_id, custom_food_id, client_id, term, whole, name_len")
# What the service runs with every write to custom foods (``custom._catalog_upsert``).
CATALOG_UPSERT = (
    "INSERT INTO custom_food_catalogs (id, organization_id, owner_id, version) "
    "VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (organization_id, owner_id) DO UPDATE SET version = excluded.version"
)


async def seed_customs(db_url: str, org_id: str, client_id: str, count: int) -> float:
    """``count`` custom foods and their terms in bulk (COPY); seconds taken."""
    import asyncpg

    from spotter.core.db import new_id, utcnow
    from spotter.nutrition import dataset, text

    rng = random.Random(20261201)
    org = uuid.UUID(org_id)
    client = uuid.UUID(client_id)
    now = utcnow()
    foods, portions, terms = [], [], []
    for i in range(count):
        name, brand, group = _name(rng)
        food_id = new_id()
        owner = client if i % 10 == 0 else None  # a tenth are the client's own
        protein, fat = round(rng.uniform(0, 35), 1), round(rng.uniform(0, 30), 1)
        carbs = round(max(0.0, min(100 - protein - fat, rng.uniform(0, 70))), 1)
        fibre = round(rng.uniform(0, 8), 1) if rng.random() < 0.7 else None
        group_id = dataset.group_id(group)
        kcal, sodium = rng.randint(40, 550), rng.randint(0, 900)
        values = (kcal, protein, fat, carbs, fibre, None, sodium)
        foods.append((food_id, org, owner, name, brand, None, group_id, *values, now, now))
        grams = float(rng.choice((30, 40, 100, 150)))
        portions.append((new_id(), org, food_id, 0, 1.0, "serving", grams))
        length = text.name_length(name)
        terms += [
            (new_id(), org, food_id, owner, term, whole, length)
            for term, whole in text.terms(name, brand).items()
        ]
    url = db_url.replace("postgresql+asyncpg://", "postgresql://")
    started = time.perf_counter()
    conn = await asyncpg.connect(url)
    try:
        async with conn.transaction():
            for table_name, rows, columns in (
                ("custom_foods", foods, FOOD_COLUMNS),
                ("custom_food_portions", portions, PORTION_COLUMNS),
                ("custom_food_terms", terms, TERM_COLUMNS),
            ):
                await conn.copy_records_to_table(table_name, records=rows, columns=list(columns))
            # The foods changed past the service: new versions of both owners' catalogues,
            # in the same transaction, so no search kept from before outlives them.
            owners = [(new_id(), org, owner, new_id()) for owner in (org, client)]
            await conn.executemany(CATALOG_UPSERT, owners)
        # Fresh bulk data: statistics for the planner and the visibility map for index-only
        # scans, as autovacuum would give a table that grew over time.
        for table_name in ("custom_foods", "custom_food_portions", "custom_food_terms"):
            await conn.execute(f"VACUUM ANALYZE {table_name}")
    finally:
        await conn.close()
    say(f"  terms:      {len(terms):,} rows for {count:,} custom foods")
    return time.perf_counter() - started


def first_time_searches(asked: set[frozenset[str]]) -> Iterator[str]:
    """Two-word searches from the benchmark's vocabulary, shuffled: a one-word brand,
    descriptor or flavour ("acme", "smoked", "vanilla") with a word of a food's name
    ("granola", "salmon"). Each set of stems (what a kept answer is keyed by, whatever the
    order) comes once, and none in ``asked``, which it adds them to."""
    from spotter.nutrition.text import query_words

    modifiers = sorted({p.lower() for p in (*BRANDS, *DESCRIPTORS, *FLAVOURS) if p.isalpha()})
    foods = sorted({w for p in FOODS for w in p.split()})
    pairs = [f"{modifier} {food}" for modifier in modifiers for food in foods]
    random.Random(20261204).shuffle(pairs)
    for q in pairs:
        stems = frozenset(query_words(q))
        if len(stems) == 2 and stems not in asked:
            asked.add(stems)
            yield q


def asked_words(variants: list[tuple[str, list[tuple[str, str]]]]) -> set[frozenset[str]]:
    """The sets of stems of the variants' queries."""
    from spotter.nutrition.text import query_words

    return {frozenset(query_words(v)) for _, params in variants for k, v in params if k == "q"}


async def setup(base_url: str) -> tuple[dict[str, str], str, str]:
    """An owner and a client; (auth headers, organization id, client id)."""
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        _, token = await register_owner(http, "Bench Nutrition Gym")
        auth = {"Authorization": f"Bearer {token}"}
        me = (await http.get("/api/v1/me", headers=auth)).json()
        r = await http.post("/api/v1/clients", headers=auth, json={"full_name": "Bench Client"})
        r.raise_for_status()
        return auth, me["organization_id"], r.json()["id"]


async def second_pages(
    base_url: str, auth: dict[str, str]
) -> list[tuple[str, list[tuple[str, str]]]]:
    """Second pages of a few searches (their cursors)."""
    out = []
    async with httpx.AsyncClient(base_url=base_url, timeout=60) as http:
        for q in ("chicken", "protein bar", "rice"):
            r = await http.get("/api/v1/foods", params={"q": q}, headers=auth)
            r.raise_for_status()
            cursor = r.json()["next_cursor"]
            if cursor:
                out.append(("/api/v1/foods", [("q", q), ("cursor", cursor)]))
    return out


def main() -> int:
    ap = parser(__doc__, requests=400, per="line", bound="line")
    ap.add_argument("--customs", type=int, default=100_000, help="custom foods to seed")
    args = ap.parse_args()

    admin_url = os.environ.get("SPOTTER_BENCH_POSTGRES_URL", PG_ADMIN_DEFAULT)
    tmp = Path(tempfile.mkdtemp(prefix="spotter-bench-food-"))
    server: Server | None = None
    db_url = ""
    try:
        db_url, db_label = prepare_database(args.db, admin_url, tmp, BENCH_DB)
        port = free_port()
        env = production_env(db_url=db_url, data_dir=tmp, port=port, redis_url=None)
        say("Spotter food search benchmark")
        say(f"  database:   {db_label}")
        say(f"  server:     spotter serve --workers {args.workers}, SPOTTER_ENV=production")
        say(
            f"  machine:    {os.cpu_count() or 1} CPU cores, Python {platform.python_version()}, "
            f"{platform.system()}; the load generator shares these cores with the server"
        )
        say(
            f"  load:       {args.requests} requests or {args.seconds:.0f} s per line, "
            f"whichever comes first, at concurrency {', '.join(map(str, args.concurrency))}"
        )
        started = time.perf_counter()
        upgrade(env)
        say(
            f"  migrated:   {time.perf_counter() - started:.1f} s "
            "(includes loading the 8,789 USDA foods)"
        )
        server = Server(env, port, args.workers, tmp / "server.log")
        server.start()
        auth, org_id, client_id = asyncio.run(setup(server.base_url))
        if db_url.startswith("postgresql"):
            seconds = asyncio.run(seed_customs(db_url, org_id, client_id, args.customs))
            say(f"  seeded:     {args.customs:,} custom foods in {seconds:.1f} s (COPY)")
        else:
            say("  seeded:     no custom foods (bulk seeding uses PostgreSQL COPY)")
        client_search = [("q", "protein bar"), ("client_id", client_id)]
        variants = [("/api/v1/foods", p) for p in [*SEARCHES, client_search]]
        variants += asyncio.run(second_pages(server.base_url, auth))
        repeated = f"GET /api/v1/foods ({len(variants)} searches, repeated)"
        first_time = "GET /api/v1/foods (first-time searches)"
        fresh = first_time_searches(asked_words(variants))
        # Enough for the measured requests and the warm-up rounded up to whole waves.
        per_line = args.requests + FIRST_TIME_WARMUP + max(args.concurrency)
        say("")

        def loads() -> list[Load]:
            """The lines; new first-time searches each time (none asked before)."""
            never_asked = [("/api/v1/foods", [("q", q)]) for q in itertools.islice(fresh, per_line)]
            if len(never_asked) < per_line:
                raise RuntimeError(
                    "the vocabulary ran out of first-time searches: fewer --requests"
                )
            return [
                Load(HEALTHZ, [("/healthz", [])]),
                Load("GET /api/v1/me (auth only)", [("/api/v1/me", [])], auth),
                Load(repeated, variants, auth),
                Load(first_time, never_asked, auth),
            ]

        def warmup(load: Load) -> int:
            # Each worker builds the USDA index on its first search and caches each query
            # word's matches, so every repeated variant runs several times first; the
            # first-time line warms its connections with searches of its own, never asked
            # again.
            if load.name == first_time:
                return FIRST_TIME_WARMUP
            return 4 * len(load.variants) + 10

        results: list[Result] = asyncio.run(measure(server.base_url, loads, args, warmup))
        say("")
        for line in table(results, ratios=(50, 95)):
            say(line)
        say("")
        for r in pooled(results):
            if r.name in (repeated, first_time):
                say(verdict(r.name, results, r.name, r.concurrency, 3))
        say(f"load average after the run: {os.getloadavg()[0]:.1f}")
        if any(r.errors for r in results):
            say("note: some requests failed (see the errors column)")
    except Exception as exc:  # a benchmark reports and exits 0; the figures say what ran
        say(f"benchmark did not complete: {type(exc).__name__}: {exc}")
        if server is not None:
            say(server.log_tail())
    finally:
        clean_up(
            server, db_url=db_url, admin_url=admin_url, database=BENCH_DB, tmp=tmp, keep=args.keep
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
