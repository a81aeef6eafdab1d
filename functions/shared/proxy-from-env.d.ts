/** proxy-from-env ships no types; its one function, as documented in its README. */
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTPS_PROXY / HTTP_PROXY / ALL_PROXY (either case), or '' when NO_PROXY exempts it or none is set. */
  export function getProxyForUrl(url: string | URL): string;
}
