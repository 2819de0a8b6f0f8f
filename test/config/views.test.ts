import { describe, expect, it } from 'vitest';
import {
  formatProfileDetails,
  formatProfilesNdjson,
  formatProfileTable,
  formatWhoAmI,
  toProfileView,
} from '../../src/config/views.js';
import { Token } from '../../src/model/token.js';

const SECRET = 'so_test_view_secret_dev1';
const views = [
  toProfileView(
    {
      name: 'default',
      apiUrl: 'http://127.0.0.1:4010',
      token: Token.from(SECRET),
      tier: 'pro',
      scopes: ['logs:read'],
    },
    'default',
  ),
  toProfileView({ name: 'old', apiUrl: 'https://logs.example.com' }, 'default'),
];

describe('profile views', () => {
  it('draws an aligned table marking the active profile', () => {
    expect(formatProfileTable(views)).toBe(
      [
        '   NAME     API URL                   TOKEN          TIER  SCOPES',
        '*  default  http://127.0.0.1:4010     so_test_…dev1  pro   logs:read',
        '   old      https://logs.example.com  (logged out)',
        '',
      ].join('\n'),
    );
  });

  it('emits one JSON object per profile, the token redacted', () => {
    const lines = formatProfilesNdjson(views).trimEnd().split('\n');
    expect(JSON.parse(lines[0] ?? '')).toEqual({
      name: 'default',
      active: true,
      apiUrl: 'http://127.0.0.1:4010',
      token: 'so_test_…dev1',
      tier: 'pro',
      scopes: ['logs:read'],
    });
    expect(JSON.parse(lines[1] ?? '').token).toBeNull();
    expect(formatProfilesNdjson(views)).not.toContain(SECRET);
  });

  it('shows one profile as aligned lines, skipping what is unknown', () => {
    expect(formatProfileDetails(views[0]!, '/c/config.json')).toBe(
      [
        'profile:     default (active)',
        'api url:     http://127.0.0.1:4010',
        'token:       so_test_…dev1',
        'tier:        pro',
        'scopes:      logs:read',
        'config file: /c/config.json',
        '',
      ].join('\n'),
    );
  });

  it('shows whoami with the redacted token of the connection', () => {
    const text = formatWhoAmI(
      {
        token_prefix: 'so_test_view…',
        mode: 'test',
        scopes: ['logs:read', 'usage:read'],
        org_id: 'org_1',
        project_id: 'prj_1',
        tier: 'hobby',
        tenantId: 't',
        userUuid: 'u',
      },
      { apiUrl: 'http://127.0.0.1:4010', redactedToken: 'so_test_…dev1' },
    );
    expect(text).toContain('profile: (none: from the environment)\n');
    expect(text).toContain('token:   so_test_…dev1\n');
    expect(text).toContain('scopes:  logs:read, usage:read\n');
  });
});
