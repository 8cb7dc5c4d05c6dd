export const remoteAclPath = (name?: string): string => (name === undefined ? '/remote' : `/remote/${name}`);
