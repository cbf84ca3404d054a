// Ghost's official Admin API client (@tryghost/admin-api) against a running Masthead: create
// tags, create a draft from HTML, edit it, hit the 409 on a stale edit, publish, schedule,
// name tags (objects and strings, created when missing) and authors (none: the default author;
// by slug and by email) as integrations do, find the post by tag with @tryghost/content-api,
// unpublish, upload an image, create a paid post with a paywall marker and check with
// @tryghost/content-api that readers get only its free part, publish with a newsletter and an
// email segment (query options), delete; add, comp and delete a member; register a webhook,
// receive its signed post.published, edit and delete it.
//
// Environment: BASE_URL, ADMIN_KEY (id:secret), CONTENT_KEY, IMAGE (path to a PNG), AUTHOR_SLUG
// and AUTHOR_EMAIL (an author added with `masthead author add … --email`).

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import http from 'node:http';
import GhostAdminAPI from '@tryghost/admin-api';
import GhostContentAPI from '@tryghost/content-api';

const {BASE_URL, ADMIN_KEY, CONTENT_KEY, IMAGE, AUTHOR_SLUG, AUTHOR_EMAIL} = process.env;
for (const [name, value] of Object.entries({BASE_URL, ADMIN_KEY, CONTENT_KEY, IMAGE, AUTHOR_SLUG, AUTHOR_EMAIL})) {
    assert.ok(value, `${name} must be set`);
}

const admin = new GhostAdminAPI({url: BASE_URL, key: ADMIN_KEY, version: 'v6.0'});
const content = new GhostContentAPI({url: BASE_URL, key: CONTENT_KEY, version: 'v6.0'});
let checks = 0;
async function check(name, fn) {
    await fn();
    checks += 1;
    console.log(`ok ${checks} - ${name}`);
}

let tag;
await check('create tags', async () => {
    tag = await admin.tags.add({name: 'Client Checks', description: 'Made by @tryghost/admin-api'});
    assert.equal(tag.slug, 'client-checks');
    const second = await admin.tags.add({name: 'Second Client Tag'});
    assert.ok(second.id);
    const read = await admin.tags.read({id: tag.id});
    assert.equal(read.name, 'Client Checks');
    await assert.rejects(admin.tags.add({name: 'Client Checks'}), {name: 'ValidationError'});
});

let draft;
await check('create a draft from HTML', async () => {
    draft = await admin.posts.add(
        {title: 'Drafted by the Admin client', html: '<p>First version.</p>', tags: [{name: 'Client Checks'}]},
        {source: 'html'}
    );
    assert.equal(draft.status, 'draft');
    assert.match(draft.html, /First version/);
    await assert.rejects(content.posts.read({id: draft.id}), {name: 'NotFoundError'});
});

let edited;
await check('edit it, and hit the 409 on a stale edit', async () => {
    edited = await admin.posts.edit(
        {id: draft.id, updated_at: draft.updated_at, html: '<p>Second version.</p>'},
        {source: 'html'}
    );
    assert.match(edited.html, /Second version/);
    assert.equal(edited.slug, draft.slug);
    await assert.rejects(
        admin.posts.edit({id: draft.id, updated_at: '2001-01-01T00:00:00.000Z', title: 'Too late'}),
        {name: 'UpdateCollisionError'}
    );
});

await check('publish, schedule, unpublish', async () => {
    const published = await admin.posts.edit({id: draft.id, updated_at: edited.updated_at, status: 'published'});
    assert.equal(published.status, 'published');
    const seen = await content.posts.read({id: draft.id}, {include: 'tags'});
    assert.match(seen.html, /Second version/);
    assert.equal(seen.primary_tag.slug, 'client-checks');
    const tomorrow = new Date(Date.now() + 86400e3).toISOString();
    const scheduled = await admin.posts.edit({id: draft.id, updated_at: published.updated_at, status: 'scheduled', published_at: tomorrow});
    assert.equal(scheduled.status, 'scheduled');
    await assert.rejects(content.posts.read({id: draft.id}), {name: 'NotFoundError'});
    const unpublished = await admin.posts.edit({id: draft.id, updated_at: scheduled.updated_at, status: 'draft'});
    assert.equal(unpublished.status, 'draft');
    const drafts = await admin.posts.browse({filter: 'tag:client-checks'});
    assert.ok(drafts.some(p => p.id === draft.id && p.status === 'draft'));
});

await check('tags by name (objects and strings) are attached, created when missing', async () => {
    const post = await admin.posts.add(
        {title: 'Wire copy from the Admin client', html: '<p>Wire.</p>', status: 'published', tags: [{name: 'Wire Desk'}, 'Client Strings']},
        {source: 'html'}
    );
    assert.deepEqual(post.tags.map(t => t.slug), ['wire-desk', 'client-strings']);
    assert.equal(post.primary_tag.slug, 'wire-desk', 'the first tag is primary');
    assert.ok(post.authors.length > 0 && post.primary_author, 'the response carries authors and primary_author');
    assert.deepEqual(post.primary_author, post.authors[0]);
    for (const slug of ['wire-desk', 'client-strings']) {
        const found = await content.posts.browse({filter: `tag:${slug}`, include: 'tags'});
        assert.ok(found.some(p => p.id === post.id), `filter tag:${slug} finds the post`);
    }
    const listed = await admin.posts.browse({filter: 'tag:wire-desk'});
    assert.ok(listed.some(p => p.id === post.id));
    await admin.posts.delete({id: post.id});
});

await check('a post without authors gets the default author, which readers see', async () => {
    const post = await admin.posts.add({title: 'Unsigned by the Admin client', html: '<p>Unsigned.</p>', status: 'published'}, {source: 'html'});
    assert.equal(post.authors.length, 1);
    assert.equal(post.primary_author.slug, 'staff');
    const seen = await content.posts.read({id: post.id}, {include: 'authors'});
    assert.ok(seen.authors.length > 0, 'the Content API shows a byline');
    assert.equal(seen.primary_author.slug, 'staff');
    await admin.posts.delete({id: post.id});
});

await check('authors by slug and by email', async () => {
    const bySlug = await admin.posts.add({title: 'By slug', authors: [{slug: AUTHOR_SLUG}]});
    assert.deepEqual(bySlug.authors.map(a => a.slug), [AUTHOR_SLUG]);
    const byEmail = await admin.posts.add({title: 'By email', authors: [AUTHOR_EMAIL]});
    assert.equal(byEmail.primary_author.slug, AUTHOR_SLUG);
    const byObject = await admin.posts.add({title: 'By email object', authors: [{email: AUTHOR_EMAIL}]});
    assert.equal(byObject.primary_author.slug, AUTHOR_SLUG);
    await assert.rejects(admin.posts.add({title: 'Nobody', authors: ['nobody@example.com']}), {name: 'ValidationError'});
    for (const post of [bySlug, byEmail, byObject]) {
        await admin.posts.delete({id: post.id});
    }
});

let image;
await check('upload an image', async () => {
    image = await admin.images.upload({file: IMAGE});
    assert.match(image.url, /\/content\/images\/.+\.png$/);
    const res = await fetch(image.url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/png');
});

let paid;
await check('a paid post with a paywall marker: readers get the free part only', async () => {
    paid = await admin.posts.add({
        title: 'Paid analysis from the Admin client',
        html: '<p>FREEPART of the analysis.</p><!--members-only--><p>GATEDPART of the analysis.</p>',
        visibility: 'paid',
        status: 'published',
        feature_image: image.url,
        tags: ['Client Checks']
    }, {source: 'html'});
    assert.match(paid.html, /GATEDPART/, 'staff see it all');
    const seen = await content.posts.read({id: paid.id}, {formats: 'html,plaintext'});
    assert.equal(seen.feature_image, image.url);
    for (const field of ['html', 'plaintext', 'excerpt']) {
        assert.match(seen[field], /FREEPART/);
        assert.doesNotMatch(seen[field], /GATEDPART/);
    }
});

let emailed;
await check('publish with a newsletter: the request is accepted and shown', async () => {
    emailed = await admin.posts.add(
        {title: 'Emailed by the Admin client', html: '<p>For the newsletter.</p>', status: 'published'},
        {source: 'html', newsletter: 'default-newsletter', email_segment: 'all'}
    );
    assert.equal(emailed.status, 'published');
    assert.equal(emailed.newsletter?.slug, 'default-newsletter');
    assert.equal(emailed.email_segment, 'all');
    const read = await admin.posts.read({id: emailed.id});
    assert.equal(read.newsletter?.slug, 'default-newsletter');
    await assert.rejects(
        admin.posts.add({title: 'Bad segment', status: 'published'}, {newsletter: 'default-newsletter', email_segment: 'status:paid'}),
        {name: 'ValidationError'}
    );
    const seen = await content.posts.read({id: emailed.id});
    assert.equal(seen.newsletter, undefined, 'readers never see it');
    assert.equal(seen.email_segment, undefined);
});

await check('delete', async () => {
    await admin.posts.delete({id: paid.id});
    await admin.posts.delete({id: draft.id});
    await admin.posts.delete({id: emailed.id});
    await assert.rejects(admin.posts.read({id: draft.id}), {name: 'NotFoundError'});
    await assert.rejects(content.posts.read({id: paid.id}), {name: 'NotFoundError'});
    await admin.tags.delete({id: tag.id});
    await assert.rejects(admin.tags.read({id: tag.id}), {name: 'NotFoundError'});
});

await check('members: add, comp, browse, delete', async () => {
    const member = await admin.members.add({email: 'client.member@example.com', name: 'Client Member'});
    assert.equal(member.status, 'free');
    const comped = await admin.members.edit({id: member.id, tiers: [{slug: 'subscriber-plus'}]});
    assert.equal(comped.status, 'comped');
    const listed = await admin.members.browse({limit: 5});
    assert.ok(listed.some(m => m.id === member.id));
    await admin.members.delete({id: member.id});
    await assert.rejects(admin.members.read({id: member.id}), {name: 'NotFoundError'});
});

await check('webhooks: add, receive signed post.published, edit, delete', async () => {
    // A receiver on loopback, as an integration would run one.
    const got = [];
    const server = http.createServer((req, res) => {
        let body = '';
        req.on('data', chunk => { body += chunk; });
        req.on('end', () => {
            got.push({headers: req.headers, body});
            res.writeHead(200).end();
        });
    });
    await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
    const target = `http://127.0.0.1:${server.address().port}/hook`;
    try {
        const secret = 'client-webhook-secret';
        const hook = await admin.webhooks.add({event: 'post.published', target_url: target, secret, name: 'client'});
        assert.equal(hook.event, 'post.published');
        assert.equal(hook.target_url, target);
        await assert.rejects(admin.webhooks.add({event: 'site.exploded', target_url: target}), {name: 'ValidationError'});
        const post = await admin.posts.add(
            {title: 'Announced to webhooks', html: '<p>Free.</p><!--members-only--><p>WEBHOOKCANARY</p>', visibility: 'paid', status: 'published'},
            {source: 'html'}
        );
        for (let i = 0; i < 100 && got.length === 0; i += 1) {
            await new Promise(resolve => setTimeout(resolve, 100));
        }
        assert.equal(got.length, 1, 'post.published arrives');
        const [sig, t] = got[0].headers['x-ghost-signature'].split(', t=');
        const expected = crypto.createHmac('sha256', secret).update(got[0].body + t).digest('hex');
        assert.equal(sig, `sha256=${expected}`, 'signed as Ghost signs');
        const payload = JSON.parse(got[0].body);
        assert.equal(payload.post.current.id, post.id);
        assert.ok(!got[0].body.includes('WEBHOOKCANARY'), 'no gated text in a webhook');
        const edited = await admin.webhooks.edit({id: hook.id, event: 'post.unpublished'});
        assert.equal(edited.event, 'post.unpublished');
        await admin.webhooks.delete({id: hook.id});
        await admin.posts.delete({id: post.id});
    } finally {
        server.close();
    }
});

await check('a bad key is refused', async () => {
    const stranger = new GhostAdminAPI({url: BASE_URL, key: `${'0'.repeat(24)}:${'1'.repeat(64)}`, version: 'v6.0'});
    await assert.rejects(stranger.posts.browse(), {name: 'UnauthorizedError'});
});

console.log(`admin api: ${checks} checks passed`);
