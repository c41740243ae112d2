// Public exports of this area are added here by the area's owner.
export {};
