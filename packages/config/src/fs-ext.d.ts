// Only the part of fs-ext we use; the package ships no types and none are installed.
declare module 'fs-ext' {
  type FlockFlag = 'sh' | 'ex' | 'shnb' | 'exnb' | 'un';
  const fsExt: { flockSync(fd: number, flags: FlockFlag): void };
  export default fsExt;
}
