// A list's column header (overrides AdminJS's PropertyHeader): the same as AdminJS's, plus the
// property's name as data-property-name, so that admin/brand/panel.css can keep the status column
// on a phone (AdminJS shows only the title column below 768 px, which for some lists is none).
import React from 'react';
import { TableCell } from '@adminjs/design-system';
import { SortLink, useTranslation } from 'adminjs';

const PropertyHeader: React.FC<any> = (props) => {
  const { property, titleProperty, display } = props;
  const { translateProperty } = useTranslation();
  const isMain = property.propertyPath === titleProperty?.propertyPath;
  return (
    <TableCell className={isMain ? 'main' : undefined} display={display} data-property-name={property.propertyPath}>
      {property.isSortable ? <SortLink {...props} /> : translateProperty(property.label, property.resourceId)}
    </TableCell>
  );
};

export default PropertyHeader;
