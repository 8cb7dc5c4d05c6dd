/** UPID grammar (proxmox-schema upid.rs): used to validate task ids arriving from outside. */
import { z } from 'zod';

export const UPID_REGEX =
  /^UPID:([a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?):([0-9A-Fa-f]{8}):([0-9A-Fa-f]{8,9}):([0-9A-Fa-f]{8,16}):([0-9A-Fa-f]{8}):([^:\s]+):([^:\s]*):([^:\s]+):$/;

export const UpidSchema = z.string().max(512).regex(UPID_REGEX, 'not a valid task id (UPID)');
