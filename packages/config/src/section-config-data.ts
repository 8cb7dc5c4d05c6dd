/** One section of a section-config file: its properties in file order, repeated keys kept. */
export interface Section {
  type: string;
  id: string;
  properties: Array<[key: string, value: string]>;
}

/**
 * The parsed content of a section-config file. Section order is the file order, so an
 * unchanged file formats back to the same bytes.
 */
export class SectionConfigData {
  sections: Section[];

  constructor(sections: Section[] = []) {
    this.sections = sections;
  }

  get(id: string): Section | undefined {
    return this.sections.find((section) => section.id === id);
  }

  list(type?: string): Section[] {
    return type === undefined ? [...this.sections] : this.sections.filter((s) => s.type === type);
  }

  /** Replaces the section with this id where it stands, or appends a new one. */
  set(type: string, id: string, properties: Array<[string, string]>): void {
    const section: Section = { type, id, properties: properties.map(([k, v]) => [k, v]) };
    const index = this.sections.findIndex((s) => s.id === id);
    if (index < 0) this.sections.push(section);
    else this.sections[index] = section;
  }

  delete(id: string): boolean {
    const index = this.sections.findIndex((s) => s.id === id);
    if (index < 0) return false;
    this.sections.splice(index, 1);
    return true;
  }
}

export function sectionProperty(section: Section, key: string): string | undefined {
  return section.properties.find(([k]) => k === key)?.[1];
}

export function sectionProperties(section: Section, key: string): string[] {
  return section.properties.filter(([k]) => k === key).map(([, v]) => v);
}
