// Ghost's official Content API client (@tryghost/content-api) against a running Masthead:
// browse with filters, includes, fields and pagination, read by id and slug, and check that a
// paid post's html stops at the paywall marker.
//
// Environment: BASE_URL (e.g. http://127.0.0.1:3000), CONTENT_KEY, PAID_SLUG (a paid post whose
// free part contains FREE_TEXT and whose gated part contains GATED_TEXT).

import assert from 'node:assert/strict';
import GhostContentAPI from '@tryghost/content-api';

const {BASE_URL, CONTENT_KEY, PAID_SLUG, FREE_TEXT, GATED_TEXT} = process.env;
for (const [name, value] of Object.entries({BASE_URL, CONTENT_KEY, PAID_SLUG, FREE_TEXT, GATED_TEXT})) {
    assert.ok(value, `${name} must be set`);
}

const api = new GhostContentAPI({url: BASE_URL, key: CONTENT_KEY, version: 'v6.0'});
let checks = 0;
async function check(name, fn) {
    await fn();
    checks += 1;
    console.log(`ok ${checks} - ${name}`);
}

await check('browse posts: pagination meta as Ghost', async () => {
    const posts = await api.posts.browse({limit: 5, include: 'tags,authors'});
    assert.equal(posts.length, 5);
    const p = posts.meta.pagination;
    assert.equal(p.page, 1);
    assert.equal(p.limit, 5);
    assert.equal(p.pages, Math.ceil(p.total / 5));
    assert.equal(p.next, 2);
    assert.equal(p.prev, null);
    for (const post of posts) {
        assert.match(post.url, /^http/);
        assert.ok(post.title && post.slug && post.id && post.published_at);
        assert.deepEqual(post.primary_tag, post.tags[0] ?? null);
        assert.deepEqual(post.primary_author, post.authors[0] ?? null);
    }
});

await check('page 2 follows page 1', async () => {
    const one = await api.posts.browse({limit: 5});
    const two = await api.posts.browse({limit: 5, page: 2});
    assert.equal(two.meta.pagination.prev, 1);
    const ids = new Set(one.map(p => p.id));
    assert.ok(two.every(p => !ids.has(p.id)), 'no post on both pages');
    assert.ok(new Date(one.at(-1).published_at) >= new Date(two[0].published_at), 'newest first');
});

await check('filter: featured, tags, negation, or, dates', async () => {
    const featured = await api.posts.browse({filter: 'featured:true', limit: 'all'});
    assert.ok(featured.length > 0);
    assert.ok(featured.every(p => p.featured === true));
    const all = await api.posts.browse({limit: 'all', include: 'tags'});
    const tag = all[0].primary_tag.slug;
    const tagged = await api.posts.browse({filter: `tag:${tag}`, limit: 'all', include: 'tags'});
    assert.equal(tagged.meta.pagination.total, all.filter(p => p.tags.some(t => t.slug === tag)).length);
    assert.ok(tagged.every(p => p.tags.some(t => t.slug === tag)));
    const untagged = await api.posts.browse({filter: `tag:-${tag}`, limit: 'all', include: 'tags'});
    assert.ok(untagged.every(p => p.tags.every(t => t.slug !== tag)));
    assert.equal(
        tagged.meta.pagination.total + untagged.meta.pagination.total,
        (await api.posts.browse({limit: 1})).meta.pagination.total
    );
    const both = await api.posts.browse({filter: `tag:${tag}+featured:true`, limit: 'all', include: 'tags'});
    assert.ok(both.every(p => p.featured && p.tags.some(t => t.slug === tag)));
    const either = await api.posts.browse({filter: `(tag:${tag},featured:true)+visibility:[public,paid,members]`, limit: 'all'});
    assert.ok(either.length >= tagged.length);
    const recent = await api.posts.browse({filter: 'published_at:>now-30d', limit: 'all'});
    assert.ok(recent.every(p => new Date(p.published_at) > Date.now() - 30 * 86400e3));
    const titled = await api.posts.browse({filter: `title:~'${all[0].title.split(' ')[0]}'`, limit: 'all'});
    assert.ok(titled.some(p => p.id === all[0].id));
});

await check('fields and formats', async () => {
    const slim = await api.posts.browse({fields: 'title,slug', limit: 2});
    assert.deepEqual(Object.keys(slim[0]).sort(), ['slug', 'title']);
    const text = await api.posts.browse({formats: 'plaintext', limit: 1});
    assert.ok(text[0].plaintext.length > 0);
    assert.equal(text[0].html, undefined);
});

await check('read by id and by slug', async () => {
    const [first] = await api.posts.browse({limit: 1, filter: "visibility:public"});
    const byId = await api.posts.read({id: first.id});
    assert.equal(byId.slug, first.slug);
    const bySlug = await api.posts.read({slug: first.slug}, {include: 'authors'});
    assert.equal(bySlug.id, first.id);
    assert.ok(bySlug.authors.length > 0);
});

await check("a paid post's html stops at the paywall marker", async () => {
    const paid = await api.posts.read({slug: PAID_SLUG}, {formats: 'html,plaintext'});
    assert.equal(paid.visibility, 'paid');
    assert.equal(paid.access, false);
    for (const field of ['html', 'plaintext', 'excerpt']) {
        assert.ok(paid[field].includes(FREE_TEXT), `${field} holds the free part`);
        assert.ok(!paid[field].includes(GATED_TEXT), `${field} stops at the marker`);
    }
    const listed = await api.posts.browse({filter: `slug:${PAID_SLUG}`, formats: 'html,plaintext'});
    assert.equal(listed.length, 1);
    assert.ok(!JSON.stringify(listed).includes(GATED_TEXT));
});

await check('tags, authors, tiers, pages, settings', async () => {
    const tags = await api.tags.browse({include: 'count.posts', limit: 'all'});
    assert.ok(tags.length > 0 && tags.every(t => typeof t.count.posts === 'number'));
    const tag = await api.tags.read({slug: tags[0].slug});
    assert.equal(tag.id, tags[0].id);
    const authors = await api.authors.browse({include: 'count.posts'});
    assert.ok(authors.length > 0);
    const author = await api.authors.read({id: authors[0].id});
    assert.equal(author.slug, authors[0].slug);
    const tiers = await api.tiers.browse();
    assert.ok(tiers.some(t => t.type === 'paid') && tiers.some(t => t.type === 'free'));
    const pages = await api.pages.browse();
    assert.ok(pages.length > 0);
    const page = await api.pages.read({slug: pages[0].slug});
    assert.equal(page.id, pages[0].id);
    const settings = await api.settings.browse();
    assert.ok(settings.title);
});

await check('errors arrive as Ghost errors', async () => {
    await assert.rejects(api.posts.read({slug: 'no-such-post-anywhere'}), {name: 'NotFoundError'});
    await assert.rejects(api.posts.browse({filter: 'tag:(oops'}), {name: 'BadRequestError'});
    await assert.rejects(api.posts.browse({filter: 'authors.email:someone@example.com'}), {name: 'BadRequestError'});
    const stranger = new GhostContentAPI({url: BASE_URL, key: '0123456789abcdef0123456789', version: 'v6.0'});
    await assert.rejects(stranger.posts.browse(), {name: 'UnauthorizedError'});
});

console.log(`content api: ${checks} checks passed`);
