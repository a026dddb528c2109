import { JwtService } from '@nestjs/jwt';
import { Api } from '../support/api';
import { expectNoWrites } from '../support/fingerprint';
import { TEST_ADMIN, createTestApp, type TestApp } from '../support/test-app';

describe('authentication', () => {
  let test: TestApp;
  let api: Api;

  beforeAll(async () => {
    test = await createTestApp();
    api = new Api(test);
  });
  afterAll(async () => {
    await test.close();
  });

  it('logs in the configured admin and returns a token and the user', async () => {
    const response = await test.http().post('/auth/login').send(TEST_ADMIN).expect(200);
    expect(response.body).toEqual({
      accessToken: expect.any(String),
      expiresIn: 3600,
      user: { id: expect.any(String), username: 'admin', role: 'admin', mustChangePassword: false },
    });
    const me = await test
      .http()
      .get('/users/me')
      .set('Authorization', `Bearer ${response.body.accessToken}`)
      .expect(200);
    expect(me.body).toMatchObject({ username: 'admin', role: 'admin' });
    expect(me.body.passwordHash).toBeUndefined();
  });

  it('refuses a wrong password and an unknown user alike: 401 UNAUTHENTICATED', async () => {
    const wrong = await test
      .http()
      .post('/auth/login')
      .set('Accept-Language', 'en')
      .send({ ...TEST_ADMIN, password: 'nope-nope' })
      .expect(401);
    const unknown = await test
      .http()
      .post('/auth/login')
      .set('Accept-Language', 'en')
      .send({ username: 'ghost', password: 'nope-nope' })
      .expect(401);
    expect(wrong.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: 'Wrong username or password',
    });
    expect(unknown.body).toEqual({ ...wrong.body, instance: unknown.body.instance });
  });

  it('refuses unknown fields in the login body with 400 VALIDATION_FAILED', async () => {
    const response = await test
      .http()
      .post('/auth/login')
      .set('Accept-Language', 'en')
      .send({ ...TEST_ADMIN, role: 'admin' })
      .expect(400);
    expect(response.body).toMatchObject({
      code: 'VALIDATION_FAILED',
      errors: [{ field: 'role', message: 'property role should not exist' }],
    });
  });

  it('answers 401 without a token, with a malformed one, and with a forged one', async () => {
    const missing = await test.http().get('/users/me').set('Accept-Language', 'en').expect(401);
    expect(missing.body).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect(missing.body.detail).toMatch(/Authorization: Bearer/);

    await test.http().get('/users/me').set('Authorization', 'Bearer not-a-jwt').expect(401);
    const forged = new JwtService({ secret: 'another-secret-another-secret-00' }).sign(
      { sub: (await api.admin()).userId, role: 'admin' },
      { issuer: 'agri-subsidy' },
    );
    const response = await test
      .http()
      .get('/users/me')
      .set('Accept-Language', 'en')
      .set('Authorization', `Bearer ${forged}`)
      .expect(401);
    expect(response.body.detail).toBe('The access token is not valid');
  });

  it('answers 401 for an expired token, saying so', async () => {
    const admin = await api.admin();
    const expired = new JwtService({ secret: test.config.jwtSecret }).sign(
      { sub: admin.userId, role: 'admin', iat: Math.floor(Date.now() / 1000) - 7200 },
      { issuer: 'agri-subsidy', expiresIn: 60 },
    );
    const response = await test
      .http()
      .get('/users/me')
      .set('Accept-Language', 'en')
      .set('Authorization', `Bearer ${expired}`)
      .expect(401);
    expect(response.body).toMatchObject({
      code: 'UNAUTHENTICATED',
      detail: 'The access token has expired; log in again',
    });
  });

  it('answers 401 once the user is deactivated, even with a valid token', async () => {
    const tree = await api.regionTree(1);
    const observer = await api.user('observer', { regionCode: tree.district });
    await test.http().get('/users/me').set(observer.auth).expect(200);
    await test.dataSource.query('UPDATE app_user SET active = false WHERE id = $1', [
      observer.userId,
    ]);
    await test.http().get('/users/me').set(observer.auth).expect(401);
  });

  it('throttles repeated logins for one username with 429, without writing anything', async () => {
    const attempts = [];
    for (let i = 0; i < 10; i++) {
      attempts.push(
        await test
          .http()
          .post('/auth/login')
          .send({ username: 'victim', password: `guess-${i}` }),
      );
    }
    expect(attempts.map((response) => response.status)).toEqual(Array(10).fill(401));
    const blocked = await expectNoWrites(test.dataSource, () =>
      test.http().post('/auth/login').send({ username: 'victim', password: 'guess-11' }),
    );
    expect(blocked.status).toBe(429);
    expect(blocked.body).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    // Another username from the same address is not blocked.
    await test.http().post('/auth/login').send(TEST_ADMIN).expect(200);
  });
});
