import { NumberInput, SimpleGrid } from '@mantine/core';
import type { GetInputPropsReturnType } from '@mantine/form';
import { KEEP_OPTION_KEYS } from '@pbs/api-types';
import { KEEP_LABELS, type KeepKey } from '../lib/keep-options';

export interface KeepOptionsFieldsProps {
  /** form.getInputProps for a keep option's field */
  inputProps: (key: KeepKey) => GetInputPropsReturnType;
}

/** The six prune keep options; an empty field means the rule is not used. */
export function KeepOptionsFields({ inputProps }: KeepOptionsFieldsProps) {
  return (
    <SimpleGrid cols={{ base: 2, sm: 3 }} spacing="sm">
      {KEEP_OPTION_KEYS.map((key) => (
        <NumberInput
          key={key}
          label={KEEP_LABELS[key]}
          min={1}
          allowDecimal={false}
          allowNegative={false}
          placeholder="not used"
          {...inputProps(key)}
        />
      ))}
    </SimpleGrid>
  );
}
