/*
 * How requests authenticate (http_client.rs request): a user sends the ticket as cookie
 * `PBSAuthCookie` (percent-encoded) plus the `CSRFPreventionToken` header; an API token sends
 * `Authorization: PBSAPIToken <user@realm!token>:<percent-encoded secret>`.
 */

export type AuthInfo =
  | { readonly kind: 'ticket'; readonly user: string; readonly ticket: string; readonly csrf: string }
  | { readonly kind: 'token'; readonly authId: string; readonly secret: string };

export function authHeaders(auth: AuthInfo): Record<string, string> {
  if (auth.kind === 'token') {
    return { authorization: `PBSAPIToken ${auth.authId}:${encodeURIComponent(auth.secret)}` };
  }
  return { cookie: `PBSAuthCookie=${encodeURIComponent(auth.ticket)}`, csrfpreventiontoken: auth.csrf };
}
